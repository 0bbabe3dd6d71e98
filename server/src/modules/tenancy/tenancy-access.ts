import { Injectable } from '@nestjs/common';
import type { AccessPort, Principal } from '../../engine/auth/access-port';
import { isApiKeyScope } from './api-key.entity';
import type { ApiKeyPrincipal, UserSession } from './principals';
import { roleMayUse } from './roles';
import { SessionService } from './session.service';
import { TenancyService } from './tenancy.service';

/** Tenancy's answer to the engine's access questions (bound to ACCESS_PORT). */
@Injectable()
export class TenancyAccess implements AccessPort {
  constructor(
    private readonly sessions: SessionService,
    private readonly tenancy: TenancyService,
  ) {}

  resolveSession(sessionId: string): Promise<UserSession | null> {
    return this.sessions.resolve(sessionId);
  }

  async resolveApiKey(secret: string, scope: string): Promise<ApiKeyPrincipal | null> {
    if (!isApiKeyScope(scope)) return null;
    return this.tenancy.verifyApiKey(secret, scope);
  }

  permits(principal: Principal, roles: readonly string[]): boolean {
    return principal.kind === 'session' && roleMayUse((principal as UserSession).role, roles);
  }
}
