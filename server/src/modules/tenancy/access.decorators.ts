import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RequireApiKey, RequireSession } from '../../engine/auth/auth.decorators';
import { requestOf } from '../../engine/auth/request-principal';
import type { ApiKeyScope } from './api-key.entity';
import type { Role } from './roles';
import type { ApiKeyPrincipal, UserSession } from './principals';

/** A console session whose user holds one of these roles. Say every role when every signed-in user may. */
export const Roles = (...roles: [Role, ...Role[]]) => RequireSession(roles);

/** An API key with this scope (machines). */
export const ApiKeyAuth = (scope: ApiKeyScope) => RequireApiKey(scope);

/** The ingest API key (collectors, SDKs). */
export const IngestKeyAuth = () => ApiKeyAuth('ingest');

/** The signed-in user's session, set by the global AccessGuard on handlers declared with @Roles. */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): UserSession | undefined => {
  const principal = requestOf(context).principal;
  return principal?.kind === 'session' ? (principal as UserSession) : undefined;
});

/** The API key behind a request, set by the global AccessGuard on handlers declared with an API key. */
export const CurrentApiKey = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyPrincipal | undefined => {
  const principal = requestOf(context).principal;
  return principal?.kind === 'api-key' ? (principal as ApiKeyPrincipal) : undefined;
});
