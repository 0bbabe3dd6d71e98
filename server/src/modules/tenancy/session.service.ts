import { Injectable, Logger } from '@nestjs/common';
import { verifyPassword } from '../../engine/auth/passwords';
import { SessionTokens } from '../../engine/auth/session-tokens';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { userActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { LoginRateLimit } from './login-rate-limit';
import type { UserSession } from './principals';
import { isRole, type Role } from './roles';
import { TenancyRepository } from './tenancy.repository';

export interface LoginResult {
  token: string;
  user: { id: string; email: string; role: Role };
}

/** How long a session lives after sign-in; its row is swept once this has passed. */
export const sessionLifetimeMilliseconds = 12 * 3600_000;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A well-formed hash of nothing anyone typed: an unknown email costs the same scrypt work as a wrong password.
const unknownUserHash = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** What the audit log keeps of a typed email: bounded, since anyone may type anything at sign-in. */
function auditedEmail(account: string): string {
  if (!account) return '(empty)';
  return account.length > 320 ? `${account.slice(0, 320)}…` : account;
}

/** Console sign-in, sign-out and the per-request session check, all against the `sessions` table. */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly repository: TenancyRepository,
    private readonly tokens: SessionTokens,
    private readonly limits: LoginRateLimit,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the limits first (429 with the seconds to wait), then the password; a success opens a session row and
   * answers a token naming it. Failures are logged with the email and address, never the password.
   */
  async login(email: string, password: string, clientAddress: string, now = new Date()): Promise<LoginResult> {
    const account = email.trim().toLowerCase();
    const admission = await this.limits.admit(account, clientAddress);
    if (!admission.admitted) {
      this.logger.warn(`login refused for ${JSON.stringify(account)} from ${clientAddress}: too many failures by ${admission.limitedBy}`);
      throw new DomainError(ErrorCode.RateLimited, `Too many failed sign-ins; try again in ${admission.retryAfterSeconds} s`, {
        retryAfterSeconds: admission.retryAfterSeconds,
      });
    }
    const user = await this.repository.findUserByEmail(account);
    const passwordMatches = await verifyPassword(password, user?.passwordHash ?? unknownUserHash);
    if (!user || !passwordMatches || user.deactivatedAt) {
      // The email typed and the address, never the password.
      await this.audit.record({
        action: 'auth.loginFailed',
        actor: userActor(auditedEmail(account)).actor,
        targetType: 'user',
        targetId: user?.id ?? null,
        details: { email: auditedEmail(account), clientAddress, reason: !user ? 'unknown_user' : !passwordMatches ? 'wrong_password' : 'deactivated' },
      });
      this.logger.warn(`failed login for ${JSON.stringify(account)} from ${clientAddress}${user?.deactivatedAt && passwordMatches ? ' (deactivated user)' : ''}`);
      throw new DomainError(ErrorCode.InvalidCredentials, user?.deactivatedAt && passwordMatches ? 'This account is deactivated' : 'Email or password is wrong');
    }
    await this.limits.succeeded(account, clientAddress);
    await this.repository.deleteExpiredSessions(now);
    // Whole seconds, as the token carries them, so token and row expire at the same instant.
    const expiresAt = new Date(Math.floor((now.getTime() + sessionLifetimeMilliseconds) / 1000) * 1000);
    const session = await this.repository.createSession(user.id, expiresAt);
    const token = this.tokens.issue({ sessionId: session.id, expiresAt: session.expiresAt });
    await this.audit.record({
      action: 'auth.login',
      ...userActor(user.email, user.role),
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, clientAddress, sessionId: session.id },
    });
    return { token, user: { id: user.id, email: user.email, role: user.role } };
  }

  /** Ends a session: its token is refused from the next request on. */
  async logout(sessionId: string, now = new Date()): Promise<void> {
    await this.repository.revokeSession(sessionId, now);
  }

  /** A user's own sign-out: the session ends and the audit log records it. */
  async logoutSession(session: UserSession, now = new Date()): Promise<void> {
    await this.logout(session.sessionId, now);
    await this.audit.record({
      action: 'auth.logout',
      ...userActor(session.email, session.role),
      targetType: 'user',
      targetId: session.userId,
      details: { sessionId: session.sessionId },
    });
  }

  /** The session's user as of now, or null when the session is revoked or expired, or the user deactivated or deleted. */
  async resolve(sessionId: string): Promise<UserSession | null> {
    if (!uuidPattern.test(sessionId)) return null;
    const row = await this.repository.findLiveSession(sessionId);
    if (!row) return null;
    if (!isRole(row.role)) {
      this.logger.error(`user ${row.userId} has the unknown role ${JSON.stringify(row.role)}: session refused`);
      return null;
    }
    return { kind: 'session', sessionId: row.sessionId, userId: row.userId, email: row.email, role: row.role, teams: row.teams ?? [], expiresAt: row.expiresAt };
  }

  /** Deletes the rows of sessions that have expired (sign-in does this too); returns how many. */
  deleteExpired(now = new Date()): Promise<number> {
    return this.repository.deleteExpiredSessions(now);
  }
}
