import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../engine/auth/auth.decorators';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { CurrentSession, Allow } from './access.decorators';
import type { UserSession } from './principals';
import { SessionService, type LoginResult } from './session.service';

/** The client's address as the socket reports it (IPv4 without its IPv6-mapped prefix). */
function clientAddressOf(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly sessions: SessionService) {}

  /** `{email, password}` → `{token, user}`; 401 when wrong, 429 with Retry-After when an account or address is limited. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResult> {
    const { email, password } = (body ?? {}) as { email?: unknown; password?: unknown };
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw new DomainError(ErrorCode.Validation, 'Send JSON {"email": "...", "password": "..."}');
    }
    try {
      return await this.sessions.login(email, password, clientAddressOf(request));
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.RateLimited) {
        response.setHeader('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      throw error;
    }
  }

  /** Ends the caller's session: the token is refused from the next request on. Any signed-in role. */
  @Allow('session.use')
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentSession() session: UserSession): Promise<void> {
    await this.sessions.logoutSession(session);
  }
}
