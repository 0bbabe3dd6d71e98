import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory } from '../support/started-server';
import { login, startTestApp, type SignedInUser, type TestApp } from '../support/test-app';
import { repositoryRoot } from '../support/test-engines';

// Teams, users and API keys in a real browser, on the real HTTP app serving the built console: an admin creates a
// team, a user in it and a team key whose secret is shown once (and works); a finance user sees none of these menu
// entries, and the server refuses them the same operations.
describe('teams, users and API keys in the console', () => {
  let testApp: TestApp;
  let browser: Browser | undefined;
  let finance: SignedInUser;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    testApp = await startTestApp();
    finance = await testApp.signIn('finance');
    if (chromiumAvailability().available) browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Hash routes fire no load event: wait for the hash itself. */
  const atHash = (page: Page, hash: string) => page.waitForFunction((expected) => location.hash === expected, hash);

  async function signIn(email: string, password: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: testApp.baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return signInThroughForm(page, testApp.baseUrl, email, password, { waitFor: { menuItem: 'Price catalog' } });
  }

  it('lets an admin create a team, a user in it and a key whose secret is shown once', { timeout: 180_000 }, async (context) => {
    if (!browser) return context.skip();
    const page = await signIn('admin@warden.local', testApp.adminPassword);
    try {
      await adminFlow(page);
    } catch (error) {
      await page.screenshot({ path: path.join(artifactsDirectory, 'console-tenancy-admin-failure.png'), fullPage: true });
      throw error;
    }
    await page.close();
  });

  async function adminFlow(page: Page): Promise<void> {

    await expect(page.getByRole('menuitem', { name: 'Teams' }).count()).resolves.toBe(1);
    await page.goto(`${testApp.baseUrl}/#/teams/create`);
    await atHash(page, '#/teams/create');
    await page.locator('input[name="name"]').fill('e2e-claims');
    await page.locator('input[name="displayName"]').fill('Claims (e2e)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('tbody tr', { hasText: 'e2e-claims' }).waitFor({ timeout: 15_000 });

    await expect(page.getByRole('menuitem', { name: 'Users' }).count()).resolves.toBe(1);
    await page.goto(`${testApp.baseUrl}/#/users/create`);
    await atHash(page, '#/users/create');
    await page.locator('input[name="email"]').fill('e2e-viewer@example.com');
    await page.locator('input[name="name"]').fill('E2E Viewer');
    await page.getByLabel('Role').click();
    await page.getByRole('option', { name: /^Viewer/ }).click();
    await page.locator('input[name="teamIds"]').fill('e2e-cl');
    await page.getByRole('option', { name: 'e2e-claims' }).click();
    await page.locator('input[name="password"]').fill('viewer password 123');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('tbody tr', { hasText: 'e2e-viewer@example.com' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('tbody tr', { hasText: 'e2e-viewer@example.com' }).textContent()).resolves.toContain('e2e-claims');
    expect((await login(testApp.baseUrl, 'e2e-viewer@example.com', 'viewer password 123')).status).toBe(200);

    await expect(page.getByRole('menuitem', { name: 'API keys' }).count()).resolves.toBe(1);
    await page.goto(`${testApp.baseUrl}/#/apiKeys/create`);
    await atHash(page, '#/apiKeys/create');
    await page.locator('input[name="name"]').fill('e2e collector');
    await page.locator('input[name="teamId"]').fill('e2e-cl');
    await page.getByRole('option', { name: 'e2e-claims' }).click();
    await page.getByLabel(/^ingest:/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByTestId('api-key-secret-dialog');
    await dialog.waitFor({ timeout: 15_000 });
    const secret = await page.getByTestId('api-key-secret').inputValue();
    expect(secret).toMatch(/^wk_/);
    await page.getByTestId('copy-api-key-secret').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-api-key-secret.png'), fullPage: true });
    await page.getByTestId('close-api-key-secret').click();
    const row = page.locator('tbody tr', { hasText: 'e2e collector' });
    await row.waitFor({ timeout: 15_000 });
    // Shown once: the list carries the prefix, never the secret.
    await expect(page.locator('body').textContent()).resolves.not.toContain(secret);
    await expect(row.textContent()).resolves.toContain('e2e-claims');

    // The key works, stamped with its team.
    const sent = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify([{ id: 'e2e-key-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o', team: 'someone-else' }]),
    });
    expect(((await sent.json()) as { rejected: number }).rejected).toBe(1);

    await row.getByTestId('revoke-api-key').click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => (await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: '[]' })).status, { timeout: 15_000 }).toBe(401);
  }

  it('gives a finance user no Teams, Users or API keys entries, and the server refuses them', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(finance.email, finance.password);
    for (const name of ['Teams', 'Users', 'API keys']) await expect(page.getByRole('menuitem', { name }).count()).resolves.toBe(0);
    await page.goto(`${testApp.baseUrl}/#/apiKeys`);
    await page.getByTestId('admin-only').waitFor({ timeout: 15_000 });
    for (const query of ['{ allTeams { id } }', '{ allUsers { id } }', '{ allApiKeys { id } }', 'mutation { createApiKey(name: "x", scopes: ["ingest"]) { secret } }']) {
      const answer = await testApp.graphql(query, {}, finance.token);
      expect(answer.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
    }
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-tenancy-finance.png'), fullPage: true });
    await page.close();
  });
});
