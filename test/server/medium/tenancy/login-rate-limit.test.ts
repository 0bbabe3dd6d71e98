import { Logger } from '@nestjs/common';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../../server/src/engine/config/config';
import { LoginRateLimit, loginLimits } from '../../../../server/src/modules/tenancy/login-rate-limit';
import { startTestApp, type TestApp } from '../../../support/test-app';

// Each client below connects from its own loopback address (all of 127.0.0.0/8 reaches the server on 127.0.0.1),
// chosen at random per run, so floods never limit the other test files that share REDIS_URL, or the next run.
const runOctet = 1 + Math.floor(Math.random() * 250);
let clients = 0;
function newClientAddress(): string {
  clients += 1;
  return `127.${runOctet}.${Math.floor(clients / 250)}.${1 + (clients % 250)}`;
}

describe('login rate limit per account and per client address', () => {
  let testApp: TestApp;
  const agents: Agent[] = [];
  const runId = `${process.pid}-${Date.now().toString(36)}`;

  async function loginFrom(address: string, email: string, password: string) {
    const dispatcher = new Agent({ localAddress: address });
    agents.push(dispatcher);
    const response = await undiciFetch(`${testApp.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
      dispatcher,
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error?: { code: string } } };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    await testApp?.close();
  });

  it(`refuses an account after ${loginLimits.perAccount.failures} failures from anywhere, with Retry-After; other accounts still sign in`, async () => {
    const victim = await testApp.signIn('finance', `victim-${runId}@example.com`);
    for (let attempt = 0; attempt < loginLimits.perAccount.failures; attempt += 1) {
      expect((await loginFrom(newClientAddress(), victim.email, `wrong guess ${attempt}`)).status).toBe(401);
    }
    // Even the right password, from a fresh address: the account is limited, so nothing is checked.
    const refused = await loginFrom(newClientAddress(), victim.email.toUpperCase(), victim.password);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('rate_limited');
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(loginLimits.perAccount.windowSeconds);

    const bystander = await testApp.signIn('viewer', `bystander-${runId}@example.com`);
    expect((await loginFrom(newClientAddress(), bystander.email, bystander.password)).status).toBe(200);
  });

  it(`refuses an address after ${loginLimits.perAddress.failures} failures over any accounts; the same account signs in from elsewhere`, async () => {
    const flooder = newClientAddress();
    const user = await testApp.signIn('viewer', `flooded-${runId}@example.com`);
    const statuses: number[] = [];
    // In parallel, as a flood would come: the count is taken before each password check, so none slips through.
    await Promise.all(
      Array.from({ length: loginLimits.perAddress.failures + 5 }, async (_unused, index) => {
        statuses.push((await loginFrom(flooder, `nobody-${index}-${runId}@example.com`, 'guess')).status);
      }),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(loginLimits.perAddress.failures);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    const refused = await loginFrom(flooder, user.email, user.password);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await loginFrom(newClientAddress(), user.email, user.password)).status).toBe(200);
  });

  it('does not clear an address’s failures when someone signs in from it, nor count the success', async () => {
    const shared = newClientAddress();
    const colleague = await testApp.signIn('sre', `colleague-${runId}@example.com`);
    for (let attempt = 0; attempt < loginLimits.perAddress.failures - 1; attempt += 1) {
      expect((await loginFrom(shared, `stranger-${attempt}-${runId}@example.com`, 'guess')).status).toBe(401);
    }
    expect((await loginFrom(shared, colleague.email, colleague.password)).status).toBe(200);
    // The success neither reset the count nor took a place: one more failure is allowed, then the address is limited.
    expect((await loginFrom(shared, `stranger-last-${runId}@example.com`, 'guess')).status).toBe(401);
    expect((await loginFrom(shared, colleague.email, colleague.password)).status).toBe(429);
  });

  it('logs failed and refused logins with the account and address, never the password', async () => {
    const warnings = vi.spyOn(Logger.prototype, 'warn');
    try {
      const address = newClientAddress();
      const email = `logged-${runId}@example.com`;
      await loginFrom(address, email, 'the-typed-secret\nwith a newline');
      const lines = warnings.mock.calls.map((call) => String(call[0]));
      expect(lines.some((line) => line.includes(`failed login for "${email}" from ${address}`))).toBe(true);
      expect(lines.join('\n')).not.toContain('the-typed-secret');
    } finally {
      warnings.mockRestore();
    }
  });

  it.skipIf(!process.env.REDIS_URL)('keeps the counts in Redis, so servers share them (REDIS_URL set)', async () => {
    const config = loadConfig({ REDIS_URL: process.env.REDIS_URL! });
    const [first, second] = [new LoginRateLimit(config), new LoginRateLimit(config)];
    try {
      const account = `shared-${runId}@example.com`;
      for (let attempt = 0; attempt < loginLimits.perAccount.failures; attempt += 1) {
        expect(await (attempt % 2 === 0 ? first : second).admit(account, newClientAddress())).toEqual({ admitted: true });
      }
      expect(await second.admit(account, newClientAddress())).toMatchObject({ admitted: false, limitedBy: 'account' });
      expect(await first.admit(account, newClientAddress())).toMatchObject({ admitted: false, limitedBy: 'account' });
    } finally {
      await first.onModuleDestroy();
      await second.onModuleDestroy();
    }
  });
});

if (!process.env.REDIS_URL) console.warn('login-rate-limit: REDIS_URL is not set, the shared-counter test is skipped (memory store only)');
