import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory } from '../support/started-server';
import { startTestApp, type SignedInUser, type TestApp } from '../support/test-app';
import { repositoryRoot } from '../support/test-engines';

// The Policies page in a real browser, on the real HTTP app serving the built console: an admin writes a policy
// (raw JSON, then the quota form), sees its versions and their diff and tries it in the playground; a finance user
// has no Policies entry and no write control (and the server refuses the write); compliance reads without writing.
describe('policies in the console', () => {
  let testApp: TestApp;
  let browser: Browser | undefined;
  let finance: SignedInUser;
  let compliance: SignedInUser;

  beforeAll(async () => {
    // The console is served from web/dist: build it (and the server) when missing or stale, as npm start would.
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    testApp = await startTestApp();
    finance = await testApp.signIn('finance');
    compliance = await testApp.signIn('compliance');
    if (chromiumAvailability().available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function signIn(email: string, password: string): Promise<Page> {
    // Every role has the Price catalog entry (Spend is not for compliance).
    return signInThroughForm(browser!, testApp.baseUrl, email, password, { waitFor: { menuItem: 'Price catalog' } });
  }

  it('lets an admin write a policy, shows its versions with a diff, and tries it in the playground', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn('admin@warden.local', testApp.adminPassword);
    await page.getByRole('menuitem', { name: 'Policies' }).click();
    await page.getByTestId('policy-create').click();

    await page.getByRole('tab', { name: 'JSON' }).click();
    const document = {
      name: 'claims-e2e',
      scope: { team: 'claims' },
      models: { allowAll: false, allow: ['gpt-4o-mini', 'llama-3.*'], deny: ['*-preview'] },
      quotas: [{ name: 'monthly', metric: 'costUsd', limit: '500', period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'hard' }],
      pii: { detectors: { email: 'mask', cn_resident_id: 'block' }, keepOnPremises: true },
    };
    await page.getByTestId('policy-json').fill(JSON.stringify(document, null, 2));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('policy-check-ok').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('policy-edit-explanation').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await fetchPolicy('claims-e2e')).version, { timeout: 15_000 }).toBe(1);

    await page.getByRole('tab', { name: 'Scope and models' }).click();
    await expect(page.getByTestId('policy-scope-subject').inputValue()).resolves.toBe('claims');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-policy-scope.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Personal data' }).click();
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-policy-pii.png'), fullPage: true });

    // The quota form edits the same document: a new limit is a second version.
    await page.getByRole('tab', { name: 'Quotas' }).click();
    const limit = page.locator('input[name="document.quotas.0.limit"]');
    await expect(limit.inputValue()).resolves.toBe('500');
    await limit.fill('750.25');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await fetchPolicy('claims-e2e')).version, { timeout: 15_000 }).toBe(2);
    expect((await fetchPolicy('claims-e2e')).document.quotas[0].limit).toBe('750.25');

    await page.reload();
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('policy-versions').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => page.getByTestId('policy-version-row').count(), { timeout: 15_000 }).toBe(2);
    const rows = await page.getByTestId('policy-version-row').allInnerTexts();
    expect(rows[0]).toContain('v2');
    expect(rows[0]).toContain('admin@warden.local');
    const removed = await page.getByTestId('policy-diff').locator('[data-diff="removed"]').allInnerTexts();
    const added = await page.getByTestId('policy-diff').locator('[data-diff="added"]').allInnerTexts();
    expect(removed.join('\n')).toContain('"limit": "500"');
    expect(added.join('\n')).toContain('"limit": "750.25"');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-policy-history.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Playground' }).click();
    await page.getByTestId('playground-model').waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByTestId('playground-model').fill('gpt-4o-audio-preview');
    await page.getByTestId('playground-text').fill('Mail alice@example.com please');
    await page.getByTestId('playground-try').click();
    await expect(page.getByTestId('playground-refusal').innerText({ timeout: 15_000 })).resolves.toContain('model_not_allowed');
    await expect(page.getByTestId('playground-redacted').innerText()).resolves.toBe('Mail [EMAIL_1] please');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-policy-playground.png'), fullPage: true });
    await page.close();
  });

  it('gives a finance user no Policies entry and no way to write one', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(finance.email, finance.password);
    await expect(page.getByRole('menuitem', { name: 'Price catalog' }).count()).resolves.toBe(1);
    await expect(page.getByRole('menuitem', { name: 'Policies' }).count()).resolves.toBe(0);
    await page.goto(`${testApp.baseUrl}/#/policies`);
    await page.getByTestId('policies-not-for-role').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('policy-create').count()).resolves.toBe(0);
    // Asking the server directly is refused too.
    const write = await testApp.graphql('mutation ($document: JSON!) { createPolicy(document: $document) { id } }', { document: { name: 'by-finance', scope: { org: true } } }, finance.token);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-policy-finance.png'), fullPage: true });
    await page.close();
  });

  it('lets compliance read a policy and its history without a write control', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(compliance.email, compliance.password);
    await page.getByRole('menuitem', { name: 'Policies' }).click();
    await page.locator('tbody tr', { hasText: 'claims-e2e' }).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('policy-create').count()).resolves.toBe(0);
    await page.locator('tbody tr', { hasText: 'claims-e2e' }).click();
    await page.getByTestId('policy-document').waitFor({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('policy-versions').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => page.getByTestId('policy-version-row').count(), { timeout: 15_000 }).toBe(2);
    await page.close();
  });

  async function fetchPolicy(name: string): Promise<{ version: number; document: { quotas: Array<{ limit: string }> } }> {
    const response = await fetch(`${testApp.baseUrl}/api/v1/policies/${name}`, { headers: { authorization: `Bearer ${testApp.sessionToken}` } });
    return (await response.json()) as { version: number; document: { quotas: Array<{ limit: string }> } };
  }
});
