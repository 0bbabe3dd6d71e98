import type { Principal } from '../../engine/auth/access-port';
import type { ApiKeyScope } from './api-key.entity';
import type { Role } from './roles';

/** A signed-in user as of this request: role and activity are read from the database at each request. */
export interface UserSession extends Principal {
  readonly kind: 'session';
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly expiresAt: Date;
}

/** A machine calling with an API key. */
export interface ApiKeyPrincipal extends Principal {
  readonly kind: 'api-key';
  readonly keyId: string;
  readonly name: string;
  readonly scope: ApiKeyScope;
}
