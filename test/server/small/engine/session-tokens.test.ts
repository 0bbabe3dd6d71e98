import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';

const secret = 'a-test-signing-secret-of-32-characters!';
const issuedAt = Date.parse('2026-03-02T10:00:00Z');
const expiresAt = new Date(issuedAt + 3600_000);
const sessionId = '6f1c1c4e-7d0b-4a8e-9d55-3f3b0d7f2a10';

function signed(body: unknown): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64url');
  return `${header}.${payload}.${crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
}

describe('SessionTokens', () => {
  const tokens = new SessionTokens(secret);

  it('issues a JWT-shaped token that names a session and nothing else, valid until it expires', () => {
    const token = tokens.issue({ sessionId, expiresAt });
    const [header, body] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    // No role, user or email: those are read from the session's row at each request.
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toEqual({ sid: sessionId, exp: expiresAt.getTime() / 1000 });
    expect(tokens.verify(token, issuedAt)).toEqual({ sessionId, expiresAt });
    expect(tokens.verify(token, expiresAt.getTime() - 1)).not.toBeNull();
  });

  it('refuses an expired token', () => {
    const token = tokens.issue({ sessionId, expiresAt });
    expect(tokens.verify(token, expiresAt.getTime())).toBeNull();
    expect(tokens.verify(token, issuedAt + 24 * 3600_000)).toBeNull();
  });

  it('refuses a token whose claims were changed', () => {
    const [header, , signature] = tokens.issue({ sessionId, expiresAt }).split('.');
    const otherSession = Buffer.from(JSON.stringify({ sid: crypto.randomUUID(), exp: expiresAt.getTime() / 1000 })).toString('base64url');
    expect(tokens.verify(`${header}.${otherSession}.${signature}`, issuedAt)).toBeNull();
    const extended = Buffer.from(JSON.stringify({ sid: sessionId, exp: expiresAt.getTime() / 1000 + 36_000 })).toString('base64url');
    expect(tokens.verify(`${header}.${extended}.${signature}`, expiresAt.getTime() + 1000)).toBeNull();
  });

  it('refuses a changed signature, another secret, and malformed tokens', () => {
    const token = tokens.issue({ sessionId, expiresAt });
    const lastCharacter = token.at(-1) === 'A' ? 'B' : 'A';
    expect(tokens.verify(`${token.slice(0, -1)}${lastCharacter}`, issuedAt)).toBeNull();
    expect(new SessionTokens('another-secret-of-at-least-32-chars!!').verify(token, issuedAt)).toBeNull();
    for (const malformed of ['', 'a.b', 'a.b.c.d', 'not-a-token', `${token}.extra`]) {
      expect(tokens.verify(malformed, issuedAt)).toBeNull();
    }
  });

  it('refuses correctly signed bodies that are not JSON or lack a session id or expiry', () => {
    for (const body of ['not json', 'null', { exp: expiresAt.getTime() / 1000 }, { sid: sessionId }, { sid: 7, exp: expiresAt.getTime() / 1000 }, { sid: sessionId, exp: '9999999999' }]) {
      expect(tokens.verify(signed(body), issuedAt), JSON.stringify(body)).toBeNull();
    }
    expect(tokens.verify(signed({ sid: sessionId, exp: expiresAt.getTime() / 1000 }), issuedAt)).toEqual({ sessionId, expiresAt });
  });
});
