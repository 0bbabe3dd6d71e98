import type { Principal } from '../../engine/auth/access-port';
import type { ApiKeyScope } from './api-key.entity';
import type { Role } from './roles';

/** A signed-in user as of this request: role, teams and activity are read from the database at each request. */
export interface UserSession extends Principal {
  readonly kind: 'session';
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  /** Names of the teams the user belongs to and of every team under them. */
  readonly teams: readonly string[];
  readonly expiresAt: Date;
}

/** A machine calling with an API key. */
export interface ApiKeyPrincipal extends Principal {
  readonly kind: 'api-key';
  readonly keyId: string;
  readonly name: string;
  /** The scope the route asked for (which the key holds); kept for callers written when a key had one scope. */
  readonly scope: ApiKeyScope;
  /** Every scope the key holds. */
  readonly scopes: readonly ApiKeyScope[];
  /** The key's team name; null for an organisation-level key (its events name their team). */
  readonly team: string | null;
}
