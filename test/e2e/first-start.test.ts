import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory, startServerAsUser, type StartedServer } from '../support/started-server';
import { repositoryRoot } from '../support/test-engines';

// Prices taken straight from the shipped catalog file, and the cost computed here with BigInt, independently of the
// server's own cost code: uncached input at the input rate, cached input at the cached rate, output at the output rate.
interface CatalogRow { modelPattern: string; provider: string; inputPerMillionUsd: string; outputPerMillionUsd: string; cachedInputPerMillionUsd: string | null; effectiveFrom: string }
const catalog = JSON.parse(
  fs.readFileSync(path.join(repositoryRoot, 'server/src/modules/pricing/catalog/default-price-catalog.json'), 'utf8'),
) as { prices: CatalogRow[] };

function nanoPerMillion(decimal: string): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}
function priceOf(model: string, provider: string): CatalogRow {
  const rows = catalog.prices.filter((row) => row.provider === provider && new RegExp(`^(?:${row.modelPattern})$`, 'i').test(model));
  if (rows.length === 0) throw new Error(`test setup: no catalog price for ${model}`);
  return rows.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}
function expectedCostNanoUsd(event: { model: string; provider: string; inputTokens: number; outputTokens: number; cachedInputTokens: number }): bigint {
  const price = priceOf(event.model, event.provider);
  const cachedRate = nanoPerMillion(price.cachedInputPerMillionUsd ?? price.inputPerMillionUsd);
  const numerator =
    BigInt(event.inputTokens - event.cachedInputTokens) * nanoPerMillion(price.inputPerMillionUsd) +
    BigInt(event.cachedInputTokens) * cachedRate +
    BigInt(event.outputTokens) * nanoPerMillion(price.outputPerMillionUsd);
  return (numerator + 500_000n) / 1_000_000n; // half-up to the nano-dollar
}

describe('first start, as a user runs it', () => {
  let server: StartedServer;
  const now = Date.now();
  const hourStart = Math.floor(now / 3600_000) * 3600_000;
  const models = [
    { model: 'gpt-4o', provider: 'openai' },
    { model: 'gpt-4o-mini', provider: 'openai' },
    { model: 'claude-sonnet-4-5', provider: 'anthropic' },
    { model: 'gemini-2.5-flash', provider: 'google' },
  ];
  const teams = ['search', 'support', 'legal'];
  // Events spread over the last three days, so charts have several days and teams.
  const events = Array.from({ length: 240 }, (_unused, index) => ({
    id: `e2e-${index}`,
    timestamp: new Date(hourStart - (index % 72) * 3600_000 - 60_000).toISOString(),
    team: teams[index % teams.length],
    user: `user-${index % 7}@example.com`,
    ...models[index % models.length],
    inputTokens: 1000 + index * 37,
    outputTokens: 200 + index * 11,
    cachedInputTokens: (index * 13) % 500,
    latencyMs: 300 + index,
    status: index % 25 === 0 ? 'error' : 'ok',
  }));

  beforeAll(async () => {
    server = await startServerAsUser();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ dependencies: { postgres: { status: 'up' }, clickhouse: { status: 'up' } } });
    expect(await (await fetch(`${server.baseUrl}/metrics`)).text()).toContain('warden_ingest_events_total');
  });

  it('ingests over HTTP and reports spend that agrees to the nano-dollar', async () => {
    const answer = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ accepted: events.length, rejected: 0 });

    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@warden.local', password: server.adminPassword }),
    });
    const { token } = (await login.json()) as { token: string };
    const from = new Date(hourStart - 4 * 24 * 3600_000).toISOString();
    const to = new Date(hourStart + 3600_000).toISOString();
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ spend(from: "${from}", to: "${to}", groupBy: [TEAM]) { team requests costNanoUsd unpricedRequests } }` }),
    });
    const { data } = (await response.json()) as { data: { spend: Array<{ team: string; requests: number; costNanoUsd: string; unpricedRequests: number }> } };
    for (const team of teams) {
      const teamEvents = events.filter((event) => event.team === team);
      const expected = teamEvents.reduce((sum, event) => sum + expectedCostNanoUsd(event), 0n);
      expect(data.spend.find((row) => row.team === team)).toEqual({ team, requests: teamEvents.length, costNanoUsd: expected.toString(), unpricedRequests: 0 });
    }
  });

  it('shows the Spend dashboard with charts in a real browser after login', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    try {
      const page = await signInThroughForm(browser, server.baseUrl, 'admin@warden.local', server.adminPassword, { waitFor: { testId: 'chart-cost-by-team' } });
      // A drawn chart has SVG marks (bars/areas), not just an empty frame.
      await page.waitForFunction(
        () => ['chart-cost-by-team', 'chart-cost-by-model'].every((id) => (document.querySelector(`[data-testid="${id}"]`)?.querySelectorAll('svg path, svg rect').length ?? 0) > 5),
        undefined,
        { timeout: 30_000 },
      );
      await expect(page.getByTestId('total-cost').innerText()).resolves.toMatch(/\$\s?\d/);
      fs.mkdirSync(artifactsDirectory, { recursive: true });
      await page.screenshot({ path: path.join(artifactsDirectory, 'spend-dashboard.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
