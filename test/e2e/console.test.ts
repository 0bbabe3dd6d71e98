import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory, startServerAsUser, type StartedServer } from '../support/started-server';

// The console's CRUD over ra-data-graphql, in a real browser against `npm start`: requests list and detail,
// an unpriced model → prefilled price form → catalog, and the catalog import dialog.
describe('console resources in a real browser', () => {
  let server: StartedServer;
  const hourStart = Math.floor(Date.now() / 3600_000) * 3600_000;
  const events = Array.from({ length: 30 }, (_unused, index) => ({
    id: `console-${index}`,
    timestamp: new Date(hourStart - index * 3600_000 - 60_000).toISOString(),
    team: index % 2 === 0 ? 'search' : 'support',
    user: 'alice@example.com',
    provider: index % 3 === 0 ? 'vllm' : 'openai',
    node: index % 3 === 0 ? 'gpu-node-1' : 'api.openai.com',
    model: index % 3 === 0 ? 'house-model-7b' : 'gpt-4o-mini',
    operation: 'chat',
    inputTokens: 1000 + index,
    outputTokens: 200 + index,
    cachedInputTokens: 0,
    latencyMs: 400 + index,
    status: 'ok',
    prompt: `console prompt ${index}`,
    completion: `console completion ${index}`,
    metadata: { trace: `trace-${index}` },
  }));

  beforeAll(async () => {
    server = await startServerAsUser();
    const answer = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(answer.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const signIn = (page: Page) => signInThroughForm(page, server.baseUrl, 'admin@warden.local', server.adminPassword, { waitFor: { testId: 'total-cost' } });

  it('lists requests, opens one, prices an unpriced model and imports a catalog', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await signIn(page);

      await page.goto(`${server.baseUrl}/#/requests`);
      await page.getByText('1-25 of 30').waitFor({ timeout: 15_000 });
      await expect(page.getByText('unknown price').count()).resolves.toBeGreaterThan(0);
      // The time cell: the row's middle may be the node's link, which opens the node instead.
      await page.locator('tbody tr').first().locator('td').first().click();
      await page.getByText('console prompt 0').waitFor({ timeout: 15_000 });
      await page.getByText('trace-0').waitFor();

      await page.goto(`${server.baseUrl}/#/`);
      await page.getByTestId('unpriced-models').getByText('house-model-7b (vllm)').waitFor({ timeout: 15_000 });
      await page.getByTestId('unpriced-models').getByText('Add price').click();
      // The form may show its inputs a moment before the ?source= prefill reaches them.
      await expect.poll(() => page.locator('input[name="modelPattern"]').inputValue(), { timeout: 15_000 }).toBe('house-model-7b');
      await page.locator('input[name="inputPerMillionUsd"]').fill('0.2');
      await page.locator('input[name="outputPerMillionUsd"]').fill('0.6');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/#\/prices(\?|$)/, { timeout: 15_000 });
      await page.goto(`${server.baseUrl}/#/prices?filter=${encodeURIComponent(JSON.stringify({ q: 'house-model' }))}`);
      await page.locator('tbody tr', { hasText: 'house-model-7b' }).waitFor({ timeout: 15_000 });
      await expect(page.locator('tbody tr', { hasText: 'house-model-7b' }).innerText()).resolves.toContain('$0.20');

      // Edit: the new rate becomes a new version from now; the first one stays, and the edit page lists both.
      await page.locator('tbody tr', { hasText: 'house-model-7b' }).click();
      await page.getByTestId('price-edit-explanation').waitFor({ timeout: 15_000 });
      await page.locator('input[name="inputPerMillionUsd"]').fill('0.25');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/#\/prices(\?|$)/, { timeout: 15_000 });
      await page.goto(`${server.baseUrl}/#/prices?filter=${encodeURIComponent(JSON.stringify({ q: 'house-model' }))}`);
      await expect.poll(() => page.locator('tbody tr', { hasText: 'house-model-7b' }).count(), { timeout: 15_000 }).toBe(2);
      await page.locator('tbody tr', { hasText: '$0.25' }).click();
      await expect.poll(() => page.getByTestId('price-version-row').count(), { timeout: 15_000 }).toBe(2);
      const versions = await page.getByTestId('price-version-row').allInnerTexts();
      expect(versions[0]).toContain('$0.20');
      expect(versions[1]).toContain('$0.25');
      expect(versions[1]).toContain('in force');
      await page.screenshot({ path: path.join(artifactsDirectory, 'console-price-versions.png'), fullPage: true });
      await page.goto(`${server.baseUrl}/#/prices`);

      const catalogFile = path.join(artifactsDirectory, 'console-import-catalog.json');
      fs.mkdirSync(artifactsDirectory, { recursive: true });
      fs.writeFileSync(
        catalogFile,
        JSON.stringify({ 'console-import-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai', mode: 'chat' } }),
      );
      await page.getByText('Import catalog').click();
      await page.getByTestId('price-catalog-file').setInputFiles(catalogFile);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await expect(page.getByTestId('import-result').innerText({ timeout: 15_000 })).resolves.toMatch(/^1 imported, 0 skipped, 0 errors, 0 shadowing/);
      await page.screenshot({ path: path.join(artifactsDirectory, 'console-import.png') });
    } finally {
      await browser.close();
    }
  });

  it('sends a signed-out visit to sign-in with one redirect, and back to the page asked for after it', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.goto(`${server.baseUrl}/#/prices`);
      await page.locator('input[name="email"]').waitFor({ timeout: 30_000 });
      // The blank page, #/prices, #/login (react-admin may push it twice). Its logout under a transition-wrapped
      // router had navigated to the sign-in page again and again (Chromium keeps 50 entries) for seconds first.
      expect(await page.evaluate(() => history.length)).toBeLessThanOrEqual(5);
      await page.locator('input[name="email"]').fill('admin@warden.local');
      await page.locator('input[type="password"]').fill(server.adminPassword);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(/#\/prices$/, { timeout: 30_000 });
      await page.getByRole('menuitem', { name: 'Requests' }).waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
  });

  it('ends the session on the server at logout, and sends an ended session back to sign-in', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    const sessionToken = (page: Page) => page.evaluate(() => localStorage.getItem('warden.token'));
    const logoutOnServer = (token: string) => fetch(`${server.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await signIn(page);
      // The session ends elsewhere (another tab's logout, an admin deactivating the user): the next request answers
      // UNAUTHENTICATED, and the console goes to the sign-in page.
      const first = (await sessionToken(page))!;
      expect((await logoutOnServer(first)).status).toBe(204);
      await page.goto(`${server.baseUrl}/#/requests`);
      await page.locator('input[name="email"]').waitFor({ timeout: 30_000 });

      await signIn(page);
      const second = (await sessionToken(page))!;
      expect(second).not.toBe(first);
      await page.getByLabel('Profile').click();
      await page.getByText('Logout').click();
      await page.locator('input[name="email"]').waitFor({ timeout: 15_000 });
      expect(await sessionToken(page)).toBeNull();
      // The console's logout told the server: the token it held is refused, not merely forgotten by the browser.
      await expect.poll(async () => (await logoutOnServer(second)).status, { timeout: 10_000 }).toBe(401);
    } finally {
      await browser.close();
    }
  });
});
