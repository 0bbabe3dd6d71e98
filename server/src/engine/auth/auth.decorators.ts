import { SetMetadata } from '@nestjs/common';

export const accessDeclarationKey = 'warden:access';

/**
 * What every route and resolver must declare. The global AccessGuard refuses a handler without one (deny by default),
 * and a test lists every handler through Nest's discovery and fails when one is missing.
 */
export type AccessDeclaration =
  | { readonly kind: 'public' }
  | { readonly kind: 'session'; readonly roles: readonly string[] }
  | { readonly kind: 'api-key'; readonly scope: string }
  | { readonly kind: 'session-or-api-key'; readonly roles: readonly string[]; readonly scope: string };

export const DeclareAccess = (declaration: AccessDeclaration) => SetMetadata(accessDeclarationKey, declaration);

/** No session needed (health, login). Deliberate: the declaration test keeps a list of these. */
export const Public = () => DeclareAccess({ kind: 'public' });

/** A console session whose user holds one of these roles (the tenancy module's `Allow(operation)` reads them from its access table). */
export const RequireSession = (roles: readonly string[]) => DeclareAccess({ kind: 'session', roles: [...roles] });

/** An API key (machines) that holds this scope, sent as `Authorization: Bearer <key>`. */
export const RequireApiKey = (scope: string) => DeclareAccess({ kind: 'api-key', scope });

/** Either: a console session with one of these roles, or an API key with this scope (the same endpoint for both). */
export const RequireSessionOrApiKey = (roles: readonly string[], scope: string) => DeclareAccess({ kind: 'session-or-api-key', roles: [...roles], scope });
