import { Module } from '@nestjs/common';
import { ACCESS_PORT } from '../../engine/auth/access-port';
import { SessionAuthenticator } from '../../engine/auth/request-principal';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { LoginRateLimit } from './login-rate-limit';
import { SessionService } from './session.service';
import { TenancyAccess } from './tenancy-access';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';
import { TeamsRepository } from './teams.repository';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  controllers: [AuthController],
  providers: [
    TenancyRepository,
    TenancyService,
    TeamsRepository,
    TeamsService,
    TeamsResolver,
    UsersService,
    UsersResolver,
    ApiKeysRepository,
    ApiKeysService,
    ApiKeysResolver,
    SessionService,
    LoginRateLimit,
    TenancyAccess,
    { provide: ACCESS_PORT, useExisting: TenancyAccess },
    SessionAuthenticator,
  ],
  // The engine's AccessGuard and the GraphQL introspection check ask ACCESS_PORT (through SessionAuthenticator).
  exports: [TenancyService, TeamsService, UsersService, ApiKeysService, SessionService, ACCESS_PORT, SessionAuthenticator],
})
export class TenancyModule {}
