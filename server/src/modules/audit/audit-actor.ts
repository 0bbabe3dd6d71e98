import type { Principal } from '../../engine/auth/access-port';
import type { ApiKeyPrincipal, UserSession } from '../tenancy/principals';

/** Who an audit row names: `user:<email>` with the user's role, `key:<keyId>`, or `system`. */
export interface AuditActor {
  actor: string;
  actorRole: string | null;
}

export const systemActor: AuditActor = { actor: 'system', actorRole: null };

export function userActor(email: string, role: string | null = null): AuditActor {
  return { actor: `user:${email}`, actorRole: role };
}

/** The actor behind a request's principal (set by the AccessGuard); `system` when there is none. */
export function auditActorOf(principal: Principal | null | undefined): AuditActor {
  if (principal?.kind === 'session') {
    const session = principal as UserSession;
    return userActor(session.email, session.role);
  }
  if (principal?.kind === 'api-key') return { actor: `key:${(principal as ApiKeyPrincipal).keyId}`, actorRole: null };
  return systemActor;
}
