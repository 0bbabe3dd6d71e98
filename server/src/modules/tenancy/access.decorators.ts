import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RequireApiKey, RequireSession, RequireSessionOrApiKey } from '../../engine/auth/auth.decorators';
import { requestOf } from '../../engine/auth/request-principal';
import { rolesFor, type Operation } from './access-rules';
import type { ApiKeyScope } from './api-key.entity';
import type { ApiKeyPrincipal, UserSession } from './principals';

/** A console session whose role may perform this operation, per the one access table (access-rules.ts). */
export const Allow = (operation: Operation) => RequireSession(rolesFor(operation));

/** A session whose role may perform the operation, or an API key holding this scope (automation on the same endpoint). */
export const AllowOrApiKey = (operation: Operation, scope: ApiKeyScope) => RequireSessionOrApiKey(rolesFor(operation), scope);

/** An API key whose scopes include this one (machines). */
export const ApiKeyAuth = (scope: ApiKeyScope) => RequireApiKey(scope);

/** An API key with the `ingest` scope (collectors, SDKs). */
export const IngestKeyAuth = () => ApiKeyAuth('ingest');

/** The signed-in user's session, set by the global AccessGuard on handlers declared with @Allow or @AllowOrApiKey. */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): UserSession | undefined => {
  const principal = requestOf(context).principal;
  return principal?.kind === 'session' ? (principal as UserSession) : undefined;
});

/** The API key behind a request, set by the global AccessGuard on handlers declared with an API key. */
export const CurrentApiKey = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyPrincipal | undefined => {
  const principal = requestOf(context).principal;
  return principal?.kind === 'api-key' ? (principal as ApiKeyPrincipal) : undefined;
});
