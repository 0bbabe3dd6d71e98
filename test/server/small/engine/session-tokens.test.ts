import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';

const secret = 'a-test-signing-secret-of-32-characters!';
const issuedAt = Date.parse('2026-03-02T10:00:00Z');
const lifetimeSeconds = 3600;
const claims = { userId: 'user-1', email: 'ana@example.com', role: 'finance' as const };

describe('SessionTokens', () => {
  const tokens = new SessionTokens(secret, lifetimeSeconds);

  it('issues a JWT-shaped token whose claims verify until it expires', () => {
    const token = tokens.issue(claims, issuedAt);
    const [header, body, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toEqual({ ...claims, exp: issuedAt / 1000 + lifetimeSeconds });
    expect(signature.length).toBeGreaterThan(0);
    expect(tokens.verify(token, issuedAt)).toEqual({ ...claims, exp: issuedAt / 1000 + lifetimeSeconds });
    expect(tokens.verify(token, issuedAt + lifetimeSeconds * 1000 - 1)).not.toBeNull();
  });

  it('refuses an expired token', () => {
    const token = tokens.issue(claims, issuedAt);
    expect(tokens.verify(token, issuedAt + lifetimeSeconds * 1000)).toBeNull();
    expect(tokens.verify(token, issuedAt + 24 * 3600 * 1000)).toBeNull();
  });

  it('refuses a token whose claims were changed', () => {
    const [header, , signature] = tokens.issue(claims, issuedAt).split('.');
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: issuedAt / 1000 + lifetimeSeconds })).toString('base64url');
    expect(tokens.verify(`${header}.${promoted}.${signature}`, issuedAt)).toBeNull();
    const extended = Buffer.from(JSON.stringify({ ...claims, exp: issuedAt / 1000 + 10 * lifetimeSeconds })).toString('base64url');
    expect(tokens.verify(`${header}.${extended}.${signature}`, issuedAt + 2 * lifetimeSeconds * 1000)).toBeNull();
  });

  it('refuses a changed signature, another secret, and malformed tokens', () => {
    const token = tokens.issue(claims, issuedAt);
    const lastCharacter = token.at(-1) === 'A' ? 'B' : 'A';
    expect(tokens.verify(`${token.slice(0, -1)}${lastCharacter}`, issuedAt)).toBeNull();
    expect(new SessionTokens('another-secret-of-at-least-32-chars!!', lifetimeSeconds).verify(token, issuedAt)).toBeNull();
    for (const malformed of ['', 'a.b', 'a.b.c.d', 'not-a-token', `${token}.extra`]) {
      expect(tokens.verify(malformed, issuedAt)).toBeNull();
    }
  });

  it('refuses a correctly signed body that is not JSON', () => {
    // Signed with the right secret so only the body's parse can fail.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from('not json').toString('base64url');
    const signature = crypto.createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    expect(tokens.verify(`${header}.${body}.${signature}`, issuedAt)).toBeNull();
  });
});
