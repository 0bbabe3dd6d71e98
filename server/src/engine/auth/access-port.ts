/**
 * The engine authenticates (token signatures, bearer headers) but does not know who may do what: it asks this port,
 * which a feature module (tenancy) implements and binds to ACCESS_PORT. Every answer is read fresh from the store,
 * so a revoked session, a deactivated user or a changed role takes effect at the next request.
 */
export const ACCESS_PORT = Symbol('ACCESS_PORT');

/** Who is calling. The engine only carries it; the port defines its fields and judges it. */
export interface Principal {
  readonly kind: 'session' | 'api-key';
}

export interface AccessPort {
  /** The live principal of a session named by a correctly signed token; null when revoked, expired or its user is inactive. */
  resolveSession(sessionId: string): Promise<Principal | null>;
  /** The principal of an API key that holds `scope`; null when unknown, revoked, expired or lacking the scope. */
  resolveApiKey(secret: string, scope: string): Promise<Principal | null>;
  /** Whether a signed-in principal may use a handler that admits these roles. */
  permits(principal: Principal, roles: readonly string[]): boolean;
}
