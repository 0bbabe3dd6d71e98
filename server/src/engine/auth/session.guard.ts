import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { ingestKeyRouteKey, publicRouteKey, requiredRolesKey } from './auth.decorators';
import { SessionTokens, type Role, type SessionClaims } from './session-tokens';

export type AuthenticatedRequest = Request & { session?: SessionClaims };

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

/**
 * The global guard: every route and resolver needs a console session unless it says @Public() or
 * @IngestKeyAuth() (checked by its own guard). Deny by default, so a new resolver is never left open.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: SessionTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(publicRouteKey, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(ingestKeyRouteKey, targets)) return true;
    const request = requestOf(context);
    const token = bearerToken(request);
    const claims = token ? this.tokens.verify(token) : null;
    if (!claims) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first: missing or expired session token');
    request.session = claims;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(requiredRolesKey, targets);
    if (required && claims.role !== 'admin' && !required.includes(claims.role)) {
      throw new DomainError(ErrorCode.Forbidden, `This needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
