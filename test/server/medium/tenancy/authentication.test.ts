import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';
import { SessionService } from '../../../../server/src/modules/tenancy/session.service';
import { TenancyService, apiKeyCacheMilliseconds } from '../../../../server/src/modules/tenancy/tenancy.service';
import { login, postEvents, startTestApp, type TestApp } from '../../../support/test-app';

describe('console sessions, roles and ingest keys on real engines', () => {
  let testApp: TestApp;

  const allPrices = (token: string) => testApp.graphql<{ allPrices: unknown[] }>('{ allPrices(perPage: 1) { id } }', {}, token);
  const codeOf = (answer: { errors?: Array<{ extensions?: { code?: string } }> }) => answer.errors?.[0]?.extensions?.code ?? 'OK';
  const createPrice = (token: string, modelPattern: string) =>
    testApp.graphql(
      `mutation { createPrice(modelPattern: "${modelPattern}", provider: "acme", inputPerMillionUsd: 1, outputPerMillionUsd: 1, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`,
      {},
      token,
    );
  const sql = (text: string, parameters: unknown[] = []) => testApp.engines.postgres.query(text, parameters) as Promise<Array<Record<string, unknown>>>;
  const logout = (token: string) => fetch(`${testApp.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('signs the first admin in, with the email in any case, into a server-side session named by the token', async () => {
    const answer = await login(testApp.baseUrl, 'ADMIN@Warden.Local', testApp.adminPassword);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['token', 'user']);
    expect(answer.body.user).toEqual({ id: expect.any(String), email: 'admin@warden.local', role: 'admin' });
    const claims = new SessionTokens(testApp.engines.secret).verify(answer.body.token as string);
    const [row] = await sql('SELECT user_id, expires_at, revoked_at, extract(epoch FROM expires_at - created_at)::float8 AS lifetime FROM sessions WHERE id = $1', [
      claims?.sessionId,
    ]);
    expect(row).toMatchObject({ user_id: (answer.body.user as { id: string }).id, revoked_at: null });
    expect((row.expires_at as Date).getTime()).toBe(claims?.expiresAt.getTime());
    expect(Math.abs((row.lifetime as number) - 12 * 3600)).toBeLessThan(5);
  });

  it('gives the same refusal for a wrong password and an unknown email', async () => {
    const wrongPassword = await login(testApp.baseUrl, 'admin@warden.local', 'not the password');
    const unknownEmail = await login(testApp.baseUrl, 'nobody@example.com', 'not the password');
    for (const answer of [wrongPassword, unknownEmail]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_credentials', message: 'Email or password is wrong' } });
    }
    const incomplete = await fetch(`${testApp.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c"}' });
    expect(incomplete.status).toBe(400);
  });

  it('refuses a forged token, an expired one, and a well-signed one naming no session', async () => {
    const signedIn = await testApp.signIn('viewer');
    const { sessionId } = new SessionTokens(testApp.engines.secret).verify(signedIn.token)!;
    const inAnHour = new Date(Date.now() + 3600_000);
    const forged = new SessionTokens('someone-elses-secret-of-enough-length').issue({ sessionId, expiresAt: inAnHour });
    // Issued for an instant long past: expired whatever today is.
    const expired = new SessionTokens(testApp.engines.secret).issue({ sessionId, expiresAt: new Date('2026-03-02T22:00:00Z') });
    const noSuchSession = new SessionTokens(testApp.engines.secret).issue({ sessionId: crypto.randomUUID(), expiresAt: inAnHour });
    for (const token of [forged, expired, noSuchSession, 'not-a-token', testApp.ingestKey]) {
      expect(codeOf(await allPrices(token))).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await allPrices(signedIn.token))).toBe('OK');
  });

  it('refuses a session whose row has expired, although its token has not', async () => {
    const signedIn = await testApp.signIn('viewer');
    expect(codeOf(await allPrices(signedIn.token))).toBe('OK');
    await sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [signedIn.userId]);
    expect(codeOf(await allPrices(signedIn.token))).toBe('UNAUTHENTICATED');
  });

  it('revokes a session at logout, at once', async () => {
    const signedIn = await testApp.signIn('finance');
    const other = await login(testApp.baseUrl, signedIn.email, signedIn.password);
    expect(codeOf(await allPrices(signedIn.token))).toBe('OK');
    const answer = await logout(signedIn.token);
    expect(answer.status).toBe(204);
    expect(codeOf(await allPrices(signedIn.token))).toBe('UNAUTHENTICATED');
    expect((await logout(signedIn.token)).status).toBe(401);
    // Only that session: the same user's other sign-in goes on.
    expect(codeOf(await allPrices(other.body.token as string))).toBe('OK');
    expect((await fetch(`${testApp.baseUrl}/api/v1/auth/logout`, { method: 'POST' })).status).toBe(401);
  });

  it('refuses a deactivated user at the next request, by the service or by the row', async () => {
    const byService = await testApp.signIn('viewer');
    expect(codeOf(await allPrices(byService.token))).toBe('OK');
    await testApp.app.get(TenancyService).deactivateUser(byService.userId);
    expect(codeOf(await allPrices(byService.token))).toBe('UNAUTHENTICATED');
    const refused = await login(testApp.baseUrl, byService.email, byService.password);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'invalid_credentials', message: 'This account is deactivated' } });

    const byRow = await testApp.signIn('admin');
    expect(codeOf(await allPrices(byRow.token))).toBe('OK');
    await sql('UPDATE users SET deactivated_at = now() WHERE id = $1', [byRow.userId]);
    expect(codeOf(await allPrices(byRow.token))).toBe('UNAUTHENTICATED');
  });

  it('refuses a deleted user at the next request', async () => {
    const signedIn = await testApp.signIn('sre');
    expect(codeOf(await allPrices(signedIn.token))).toBe('OK');
    await sql('DELETE FROM users WHERE id = $1', [signedIn.userId]);
    expect(codeOf(await allPrices(signedIn.token))).toBe('UNAUTHENTICATED');
    expect(await sql('SELECT id FROM sessions WHERE user_id = $1', [signedIn.userId])).toEqual([]);
  });

  it('applies a changed role at the next request, by the row or by the service', async () => {
    const signedIn = await testApp.signIn('viewer');
    expect(codeOf(await createPrice(signedIn.token, 'role-change-1'))).toBe('FORBIDDEN');
    await sql(`UPDATE users SET role = 'finance' WHERE id = $1`, [signedIn.userId]);
    expect(codeOf(await createPrice(signedIn.token, 'role-change-1'))).toBe('OK');
    await testApp.app.get(TenancyService).changeUserRole(signedIn.userId, 'viewer');
    expect(codeOf(await createPrice(signedIn.token, 'role-change-2'))).toBe('FORBIDDEN');
    // A role the code does not know is no role at all.
    await sql(`UPDATE users SET role = 'superuser' WHERE id = $1`, [signedIn.userId]);
    expect(codeOf(await allPrices(signedIn.token))).toBe('UNAUTHENTICATED');
  });

  it('grants each write only to its roles: catalog to finance and admin, nodes to admin', async () => {
    const tokens = Object.fromEntries(
      await Promise.all((['admin', 'finance', 'compliance', 'sre', 'viewer'] as const).map(async (role) => [role, (await testApp.signIn(role)).token] as const)),
    );
    const recompute = (token: string) => testApp.graphql('mutation { recomputeCosts(from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z") { id } }', {}, token);
    const createNode = (token: string, name: string) => testApp.graphql(`mutation { createNode(name: "${name}") { id } }`, {}, token);
    const outcomes: Record<string, string[]> = {};
    for (const [role, token] of Object.entries(tokens)) {
      outcomes[role] = [codeOf(await allPrices(token)), codeOf(await createPrice(token, `grant-${role}`)), codeOf(await recompute(token)), codeOf(await createNode(token, `grant-${role}`))];
    }
    expect(outcomes).toEqual({
      admin: ['OK', 'OK', 'OK', 'OK'],
      finance: ['OK', 'OK', 'OK', 'FORBIDDEN'],
      compliance: ['OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
      sre: ['OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
      viewer: ['OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    });
    const refused = await createPrice(tokens.viewer, 'viewer-model');
    expect(refused.errors?.[0]).toMatchObject({ message: 'This needs one of the roles: admin, finance', extensions: { code: 'FORBIDDEN' } });
  });

  it('sweeps expired sessions away at sign-in', async () => {
    const signedIn = await testApp.signIn('viewer');
    await sql(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [signedIn.userId]);
    await login(testApp.baseUrl, 'admin@warden.local', testApp.adminPassword);
    expect(await sql('SELECT id FROM sessions WHERE expires_at <= now()')).toEqual([]);
    // And on demand, with a frozen clock: twelve hours after now every current session has expired.
    const sessions = testApp.app.get(SessionService);
    expect(await sessions.deleteExpired(new Date(Date.now() + 12 * 3600_000 + 60_000))).toBeGreaterThan(0);
    expect(await sql('SELECT id FROM sessions')).toEqual([]);
  });

  it('accepts events with a newly created ingest key, and never with a session token', async () => {
    const { secret } = await testApp.app.get(TenancyService).createIngestKey('second collector');
    const event = { id: 'auth-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o' };
    const accepted = await postEvents(testApp, [event], { authorization: `Bearer ${secret}` });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: 1 });
    const withSession = await postEvents(testApp, [event], { authorization: `Bearer ${(await testApp.signIn('admin')).token}` });
    expect(withSession.status).toBe(401);
    expect(withSession.body).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('refuses a key revoked in the database within the cache window (at most 5 s)', async () => {
    expect(apiKeyCacheMilliseconds).toBeLessThanOrEqual(5_000);
    const tenancy = testApp.app.get(TenancyService);
    const { key, secret } = await tenancy.createIngestKey('revoked soon');
    expect(await tenancy.verifyApiKey(secret, 'ingest')).toMatchObject({ kind: 'api-key', keyId: key.id });
    await sql('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
    const afterWindow = Date.now() + apiKeyCacheMilliseconds;
    const clock = vi.spyOn(Date, 'now').mockReturnValue(afterWindow);
    try {
      expect(await tenancy.verifyApiKey(secret, 'ingest')).toBeNull();
    } finally {
      clock.mockRestore();
    }
    const revokedByService = await tenancy.createIngestKey('revoked by the service');
    expect(await tenancy.verifyApiKey(revokedByService.secret, 'ingest')).not.toBeNull();
    await tenancy.revokeApiKey(revokedByService.key.id);
    expect(await tenancy.verifyApiKey(revokedByService.secret, 'ingest')).toBeNull();
  });
});
