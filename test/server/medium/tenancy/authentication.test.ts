import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/src/engine/auth/passwords';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';
import { TenancyRepository } from '../../../../server/src/modules/tenancy/tenancy.repository';
import { TenancyService } from '../../../../server/src/modules/tenancy/tenancy.service';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

describe('console sessions, roles and ingest keys on real engines', () => {
  let testApp: TestApp;

  async function login(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${testApp.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function userToken(email: string, role: 'viewer' | 'finance'): Promise<string> {
    const password = `${role} password of some length`;
    await testApp.app.get(TenancyRepository).createUser(email, await hashPassword(password), role);
    const answer = await login({ email, password });
    expect(answer.status).toBe(200);
    return answer.body.token as string;
  }

  const createPrice = (token: string, modelPattern: string) =>
    testApp.graphql(
      `mutation { createPrice(modelPattern: "${modelPattern}", provider: "acme", inputPerMillionUsd: 1, outputPerMillionUsd: 1, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`,
      {},
      token,
    );

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('signs the first admin in, with the email in any case', async () => {
    const answer = await login({ email: 'ADMIN@Warden.Local', password: testApp.adminPassword });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ email: 'admin@warden.local', role: 'admin' });
    const claims = new SessionTokens(testApp.engines.secret).verify(answer.body.token as string);
    expect(claims).toMatchObject({ email: 'admin@warden.local', role: 'admin' });
  });

  it('gives the same refusal for a wrong password and an unknown email', async () => {
    const wrongPassword = await login({ email: 'admin@warden.local', password: 'not the password' });
    const unknownEmail = await login({ email: 'nobody@example.com', password: 'not the password' });
    for (const answer of [wrongPassword, unknownEmail]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_credentials', message: 'Email or password is wrong' } });
    }
    const incomplete = await login({ email: 'admin@warden.local' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('refuses an expired session and one signed with another secret', async () => {
    const claims = { userId: 'x', email: 'admin@warden.local', role: 'admin' as const };
    // Issued at a fixed instant long past: twelve hours later it expired, whatever today is.
    const expired = new SessionTokens(testApp.engines.secret).issue(claims, Date.parse('2026-03-02T10:00:00Z'));
    const forged = new SessionTokens('someone-elses-secret-of-enough-length').issue(claims);
    for (const token of [expired, forged, testApp.ingestKey]) {
      const answer = await testApp.graphql('{ allPrices(perPage: 1) { id } }', {}, token);
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets a viewer read but not change the price catalog, and a finance user change it', async () => {
    const viewer = await userToken('viewer@example.com', 'viewer');
    const read = await testApp.graphql<{ allPrices: unknown[] }>('{ allPrices(perPage: 1) { id } }', {}, viewer);
    expect(read.errors).toBeUndefined();
    expect(read.data?.allPrices).toHaveLength(1);
    const refused = await createPrice(viewer, 'viewer-model');
    expect(refused.errors?.[0]).toMatchObject({ message: 'This needs one of the roles: finance', extensions: { code: 'FORBIDDEN' } });
    const recompute = await testApp.graphql('mutation { recomputeCosts(from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z") { id } }', {}, viewer);
    expect(recompute.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const finance = await userToken('finance@example.com', 'finance');
    const created = await createPrice(finance, 'finance-model');
    expect(created.errors).toBeUndefined();
  });

  it('accepts events with a newly created ingest key, and never with a session token', async () => {
    const { secret } = await testApp.app.get(TenancyService).createIngestKey('second collector');
    const event = { id: 'auth-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o' };
    const accepted = await postEvents(testApp, [event], { authorization: `Bearer ${secret}` });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: 1 });
    const withSession = await postEvents(testApp, [event], { authorization: `Bearer ${testApp.sessionToken}` });
    expect(withSession.status).toBe(401);
    expect(withSession.body).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});
