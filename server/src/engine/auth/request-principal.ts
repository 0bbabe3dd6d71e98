import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { ACCESS_PORT, type AccessPort, type Principal } from './access-port';
import { SessionTokens } from './session-tokens';

export type AuthenticatedRequest = Request & { principal?: Principal };

export function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

// One lookup per HTTP request, however many resolvers it runs; never kept beyond the request.
const sessionLookups = new WeakMap<Request, Promise<Principal | null>>();

/** The session principal behind a request's bearer token, asked of the access port once per request. */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly tokens: SessionTokens,
    @Inject(ACCESS_PORT) private readonly access: AccessPort,
  ) {}

  principalOf(request: Request): Promise<Principal | null> {
    let lookup = sessionLookups.get(request);
    if (!lookup) {
      const token = bearerToken(request);
      // A bad signature or a past expiry is refused here, without a database round trip.
      const claims = token ? this.tokens.verify(token) : null;
      lookup = claims ? this.access.resolveSession(claims.sessionId) : Promise.resolve(null);
      sessionLookups.set(request, lookup);
    }
    return lookup;
  }
}
