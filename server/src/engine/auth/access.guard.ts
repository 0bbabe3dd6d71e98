import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { ACCESS_PORT, type AccessPort } from './access-port';
import { accessDeclarationKey, type AccessDeclaration } from './auth.decorators';
import { bearerToken, requestOf, SessionAuthenticator } from './request-principal';

/**
 * The one global guard. Deny by default: a handler that declares no access is refused (and logged), whatever the
 * caller holds. Otherwise it checks what the handler declared: nothing (public), an API key with a scope, a session
 * whose user holds one of the roles, or either of the last two, all answered by the access port.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionAuthenticator,
    @Inject(ACCESS_PORT) private readonly access: AccessPort,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(accessDeclarationKey, [context.getHandler(), context.getClass()]);
    if (!declaration) {
      const handler = `${context.getClass().name}.${context.getHandler().name}`;
      this.logger.error(`${handler} declares no access (@Public, @Allow or an API key): refused`);
      throw new DomainError(ErrorCode.Forbidden, 'This operation declares no access rule, so it is closed');
    }
    if (declaration.kind === 'public') return true;
    const request = requestOf(context);
    if (declaration.kind === 'api-key') {
      const secret = bearerToken(request);
      if (!secret) throw new DomainError(ErrorCode.InvalidApiKey, 'Missing API key: send "Authorization: Bearer <key>"');
      const principal = await this.access.resolveApiKey(secret, declaration.scope);
      if (!principal) throw new DomainError(ErrorCode.InvalidApiKey, 'Invalid or revoked API key');
      request.principal = principal;
      return true;
    }
    const principal = await this.sessions.principalOf(request);
    if (!principal && declaration.kind === 'session-or-api-key') {
      // Not a live session: the bearer may be an API key. A session that lacks the role never falls through to here.
      const secret = bearerToken(request);
      if (!secret) throw new DomainError(ErrorCode.Unauthenticated, `Sign in, or send an API key with scope ${declaration.scope}`);
      const key = await this.access.resolveApiKey(secret, declaration.scope);
      if (!key) throw new DomainError(ErrorCode.Unauthenticated, `Sign in, or send an API key with scope ${declaration.scope}: missing, expired or revoked session, or invalid key`);
      request.principal = key;
      return true;
    }
    if (!principal) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first: missing, expired or revoked session');
    request.principal = principal;
    if (!this.access.permits(principal, declaration.roles)) {
      throw new DomainError(ErrorCode.Forbidden, `This needs one of the roles: ${declaration.roles.join(', ')}`);
    }
    return true;
  }
}
