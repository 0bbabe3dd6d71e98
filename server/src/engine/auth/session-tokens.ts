import * as crypto from 'node:crypto';

/** What a session token says: which server-side session it names, and until when at most. */
export interface SessionTokenClaims {
  sessionId: string;
  expiresAt: Date;
}

/**
 * A signed reference to a server-side session (HMAC-SHA256, shaped like a JWT so tools can read it). It carries no
 * role or user: those are read from the session's row at each request. The signature lets a forged or expired token
 * be refused without touching the database.
 */
export class SessionTokens {
  constructor(private readonly secret: string) {}

  issue(claims: SessionTokenClaims): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sid: claims.sessionId, exp: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
    return `${header}.${body}.${this.sign(`${header}.${body}`)}`;
  }

  /** The claims of a correctly signed, unexpired token; null for anything else. */
  verify(token: string, now = Date.now()): SessionTokenClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const actual = Buffer.from(parts[2]);
    if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return null;
    let body: { sid?: unknown; exp?: unknown };
    try {
      body = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sid?: unknown; exp?: unknown };
    } catch {
      return null;
    }
    if (typeof body?.sid !== 'string' || typeof body.exp !== 'number' || body.exp * 1000 <= now) return null;
    return { sessionId: body.sid, expiresAt: new Date(body.exp * 1000) };
  }

  private sign(input: string): string {
    return crypto.createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}
