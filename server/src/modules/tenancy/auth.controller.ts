import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '../../engine/auth/auth.decorators';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { TenancyService, type LoginResult } from './tenancy.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly tenancy: TenancyService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown): Promise<LoginResult> {
    const { email, password } = (body ?? {}) as { email?: unknown; password?: unknown };
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw new DomainError(ErrorCode.Validation, 'Send JSON {"email": "...", "password": "..."}');
    }
    return this.tenancy.login(email, password);
  }
}
