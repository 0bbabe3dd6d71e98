import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeNvidiaSmi, healthyScenario, type FakeNvidiaSmi } from '../collectors/support/fake-nvidia-smi';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory, graphqlRequest, signInOverApi, startServerAsUser, type StartedServer } from '../support/started-server';
import { repositoryRoot } from '../support/test-engines';

// The SRE and finance views in a real browser against `npm start`: the real exporter pushes one collection of a real
// H100 capture, a node is registered with a cost, requests are served on it; the Fleet page shows the GPU's tile, its
// detail charts the series, and On-prem vs API prices its tokens.
const capture = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv';
const nodeName = 'gpu-node-e2e';

describe('GPU fleet and on-prem cost in a real browser', () => {
  let server: StartedServer;
  let fake: FakeNvidiaSmi;
  let token: string;

  const graphql = <T>(query: string, variables: Record<string, unknown> = {}) => graphqlRequest<T>(server.baseUrl, token, query, variables);

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', 'collectors/tsconfig.json'], { cwd: repositoryRoot, stdio: 'inherit' });
    fake = createFakeNvidiaSmi(healthyScenario(capture));
    server = await startServerAsUser();

    // The exporter runs as a user runs it: its own process, one collection, pushed with the printed ingest key.
    const exposition = execFileSync(
      process.execPath,
      ['collectors/bin/warden-gpu-exporter.js', '--once', '--push-url', `${server.baseUrl}/api/v1/ingest/gpu`, '--ingest-key', server.ingestKey, '--nvidia-smi', fake.path, '--node-name', nodeName],
      { cwd: repositoryRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(exposition).toMatch(/^warden_gpu_exporter_up(\{[^}]*\})? 1$/m);

    token = await signInOverApi(server.baseUrl, server.adminPassword);
    // Rates from a day back, so the hour of the exporter's sample is costed even when registration crosses an hour.
    await graphql(
      `mutation ($name: String!, $from: DateTime!) {
        createNode(name: $name, kind: "vllm", hourlyCostUsd: 2.5, energyPriceUsdPerKwh: 0.15, labels: [{ key: "rack", value: "a1" }], ratesEffectiveFrom: $from) { id } }`,
      { name: nodeName, from: new Date(Date.now() - 86_400_000).toISOString() },
    );

    // Served in the same hour as the GPU sample, so that hour is busy and its cost goes to these tokens.
    const events = Array.from({ length: 12 }, (_unused, index) => ({
      id: `fleet-e2e-${index}`,
      timestamp: new Date(Date.now() - index * 1000).toISOString(),
      team: 'search',
      user: 'alice@example.com',
      provider: 'vllm',
      node: nodeName,
      model: 'llama-3.1-8b-instruct',
      operation: 'chat',
      inputTokens: 2000,
      outputTokens: 500,
      latencyMs: 900,
      status: 'ok',
    }));
    const ingest = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(ingest.status).toBe(200);
  });
  afterAll(async () => {
    fake?.cleanup();
    await server?.stop();
  });

  const signIn = (page: Page) => signInThroughForm(page, server.baseUrl, 'admin@warden.local', server.adminPassword, { waitFor: { testId: 'total-cost' } });

  it('shows the H100 tile, its detail series and its cost per 1M tokens', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    fs.mkdirSync(artifactsDirectory, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
      await signIn(page);

      await page.goto(`${server.baseUrl}/#/fleet`);
      const tile = page.getByTestId('gpu-tile');
      await tile.waitFor({ timeout: 30_000 });
      await expect(tile.count()).resolves.toBe(1);
      await expect(tile.getByTestId('gpu-tile-title').innerText()).resolves.toBe(`${nodeName} · GPU 0`);
      await expect(tile.innerText()).resolves.toContain('NVIDIA H100 80GB HBM3');
      // The capture: 100 % busy, 19818 of 81559 MiB, 631.95 of 700 W, 59 °C.
      await expect(tile.getByTestId('gpu-tile-utilization').innerText()).resolves.toBe('100 %');
      await expect(tile.getByTestId('gpu-tile-memory').innerText()).resolves.toBe('19.4 / 79.6 GiB');
      await expect(tile.getByTestId('gpu-tile-power').innerText()).resolves.toBe('632 W / 700 W');
      await expect(tile.getByTestId('gpu-tile-temperature').innerText()).resolves.toBe('59 °C');
      await expect(tile.getAttribute('data-status')).resolves.toBe('OK');
      await expect(page.getByTestId('fleet-totals').innerText()).resolves.toContain('1 / 1');
      await expect(page.getByTestId('fleet-updated-at').innerText()).resolves.toMatch(/^Updated \d\d:\d\d:\d\d · every 30 s$/);
      await page.getByTestId('idle-gpus').getByText('No GPU was under').waitFor({ timeout: 15_000 });
      await page.getByTestId('gpu-hot-spots').getByText('No GPU went over').waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(artifactsDirectory, 'fleet.png'), fullPage: true });

      // A label filter the node lacks leaves nothing; the node's own label keeps the tile.
      await page.goto(`${server.baseUrl}/#/fleet?label=${encodeURIComponent('rack=b9')}`);
      await page.getByTestId('fleet-empty').waitFor({ timeout: 15_000 });
      await expect(page.getByTestId('fleet-empty').innerText()).resolves.toContain('warden-gpu-exporter.js');
      await page.screenshot({ path: path.join(artifactsDirectory, 'fleet-empty-filtered.png') });
      // The filter typed into the URL stays there (the typed-filter pause must not undo it).
      await page.waitForTimeout(1000);
      expect(decodeURIComponent(page.url())).toContain('label=rack=b9');
      await page.goto(`${server.baseUrl}/#/fleet`);
      await page.getByTestId('gpu-tile').waitFor({ timeout: 15_000 });
      await page.getByLabel('Served model').fill('no-such-model');
      await page.getByTestId('fleet-empty').waitFor({ timeout: 15_000 });
      expect(page.url()).toContain('model=no-such-model');
      await page.goto(`${server.baseUrl}/#/fleet?label=${encodeURIComponent('rack=a1')}`);
      await page.getByTestId('gpu-tile').waitFor({ timeout: 15_000 });

      await page.getByTestId('gpu-tile').click();
      await page.getByTestId('gpu-series-chart').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('gpu-series-bucket').innerText()).resolves.toMatch(/^One point per 15 s \(raw samples\)$/);
      await expect(page.getByTestId('gpu-series-chart').locator('svg').count()).resolves.toBeGreaterThanOrEqual(4);
      await page.screenshot({ path: path.join(artifactsDirectory, 'fleet-gpu-detail.png'), fullPage: true });

      await page.goto(`${server.baseUrl}/#/on-prem-cost?period=24h`);
      const row = page.getByTestId('on-prem-model-row');
      await row.waitFor({ timeout: 30_000 });
      const rowText = await row.innerText();
      expect(rowText).toContain(nodeName);
      expect(rowText).toContain('llama-3.1-8b-instruct');
      expect(rowText).toMatch(/\$\d+\.\d+/);
      await expect(page.getByTestId('on-prem-idle-cost').innerText()).resolves.toMatch(/^\$/);
      await expect(page.getByTestId('hosted-price-row').count()).resolves.toBeGreaterThan(0);
      await page.screenshot({ path: path.join(artifactsDirectory, 'on-prem-cost.png'), fullPage: true });

      // Nodes: the registered node with its label; a second node of the same name is refused in the server's words.
      await page.goto(`${server.baseUrl}/#/nodes`);
      const nodeRow = page.locator('tbody tr', { hasText: nodeName });
      await nodeRow.waitFor({ timeout: 15_000 });
      await expect(nodeRow.innerText()).resolves.toContain('rack=a1');
      await page.screenshot({ path: path.join(artifactsDirectory, 'nodes.png') });
      await page.goto(`${server.baseUrl}/#/nodes/create`);
      await page.locator('input[name="name"]').fill(nodeName);
      await page.locator('input[name="hourlyCostUsd"]').fill('4');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(`A node named "${nodeName}" already exists`).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(artifactsDirectory, 'node-create-conflict.png') });

      // Edit: a new hourly cost becomes a new rate version from now; the list shows it, the edit page both versions.
      await page.goto(`${server.baseUrl}/#/nodes`);
      await page.locator('tbody tr', { hasText: nodeName }).click();
      await expect.poll(() => page.getByTestId('node-rate-version-row').count(), { timeout: 15_000 }).toBe(1);
      await page.locator('input[name="hourlyCostUsd"]').fill('3.75');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/#\/nodes$/, { timeout: 15_000 });
      await page.locator('tbody tr', { hasText: '$3.75' }).waitFor({ timeout: 15_000 });
      await page.locator('tbody tr', { hasText: nodeName }).click();
      await expect.poll(() => page.getByTestId('node-rate-version-row').count(), { timeout: 15_000 }).toBe(2);
      const versions = await page.getByTestId('node-rate-version-row').allInnerTexts();
      expect(versions[0]).toContain('$2.50');
      expect(versions[1]).toContain('$3.75');
      expect(versions[1]).toContain('in force');
      await page.screenshot({ path: path.join(artifactsDirectory, 'node-rate-versions.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
