import { Module } from '@nestjs/common';
import { ACCESS_PORT } from '../../engine/auth/access-port';
import { SessionAuthenticator } from '../../engine/auth/request-principal';
import { AuthController } from './auth.controller';
import { LoginRateLimit } from './login-rate-limit';
import { SessionService } from './session.service';
import { TenancyAccess } from './tenancy-access';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';

@Module({
  controllers: [AuthController],
  providers: [
    TenancyRepository,
    TenancyService,
    SessionService,
    LoginRateLimit,
    TenancyAccess,
    { provide: ACCESS_PORT, useExisting: TenancyAccess },
    SessionAuthenticator,
  ],
  // The engine's AccessGuard and the GraphQL introspection check ask ACCESS_PORT (through SessionAuthenticator).
  exports: [TenancyService, SessionService, ACCESS_PORT, SessionAuthenticator],
})
export class TenancyModule {}
