import * as crypto from 'node:crypto';

export type Role = 'admin' | 'finance' | 'compliance' | 'sre' | 'viewer';
export const roles: Role[] = ['admin', 'finance', 'compliance', 'sre', 'viewer'];

export interface SessionClaims {
  userId: string;
  email: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** A signed session token (HMAC-SHA256 over the claims), shaped like a JWT so tools can read it. */
export class SessionTokens {
  constructor(
    private readonly secret: string,
    private readonly lifetimeSeconds = 12 * 3600,
  ) {}

  issue(claims: Omit<SessionClaims, 'exp'>, now = Date.now()): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + this.lifetimeSeconds })).toString('base64url');
    return `${header}.${body}.${this.sign(`${header}.${body}`)}`;
  }

  /** The claims of a valid, unexpired token; null for anything else. */
  verify(token: string, now = Date.now()): SessionClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const actual = Buffer.from(parts[2]);
    if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return null;
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as SessionClaims;
      return claims.exp * 1000 > now ? claims : null;
    } catch {
      return null;
    }
  }

  private sign(input: string): string {
    return crypto.createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}
