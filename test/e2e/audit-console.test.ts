import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm, watchFailedApiAnswers } from '../support/chromium';
import { artifactsDirectory } from '../support/started-server';
import { startTestApp, type SignedInUser, type TestApp } from '../support/test-app';
import { repositoryRoot } from '../support/test-engines';

// The Audit log page in a real browser, on the real HTTP app serving the built console: an admin changes a policy
// in the console, the audit log lists the change with the document before and after, and "Verify chain" says the
// chain is valid. A finance user has no Audit log entry and is refused by the page and by the server.
describe('the audit log in the console', () => {
  let testApp: TestApp;
  let browser: Browser | undefined;
  let finance: SignedInUser;

  beforeAll(async () => {
    // The console is served from web/dist: build it (and the server) when missing or stale, as npm start would.
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    testApp = await startTestApp();
    finance = await testApp.signIn('finance');
    if (chromiumAvailability().available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function signIn(email: string, password: string): Promise<Page> {
    return signInThroughForm(browser!, testApp.baseUrl, email, password, { waitFor: { menuItem: 'Spend' } });
  }

  it('shows an admin\'s policy change with its document before and after, and verifies the chain', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn('admin@warden.local', testApp.adminPassword);
    // The admin writes a policy in the console (raw JSON), then changes its quota (a second version).
    await page.getByRole('menuitem', { name: 'Policies' }).click();
    await page.getByTestId('policy-create').click();
    await page.getByRole('tab', { name: 'JSON' }).click();
    const document = {
      name: 'audited-e2e',
      scope: { team: 'claims' },
      models: { allowAll: true },
      quotas: [{ name: 'monthly', metric: 'costUsd', limit: '500', period: 'month', timeZone: 'UTC', enforcement: 'hard' }],
    };
    const typed = JSON.stringify(document, null, 2);
    await page.getByTestId('policy-json').fill(typed);
    // Leaving the editor keeps the text as typed. It used to be reformatted on blur (two more lines here, the empty
    // allow and deny lists), which moved Save down between the press and the release of a click: CI saw the click
    // lost and the edit page never opened.
    await page.getByTestId('policy-json').blur();
    await expect(page.getByTestId('policy-json').inputValue()).resolves.toBe(typed);
    // Each save is awaited on the server first, then on the page, so a failure says which side fell behind.
    const answers = watchFailedApiAnswers(page);
    const savedVersion = async () => (await testApp.graphql<{ Policy: { version: number } | null }>('{ Policy(id: "audited-e2e") { version } }')).data?.Policy?.version ?? 0;
    const explainFailure = (what: string) => async (error: unknown) => {
      const notifications = await page.getByRole('alert').allInnerTexts().catch(() => []);
      throw new Error(
        `${what} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); page at ${page.url()}; ` +
          `notifications: ${JSON.stringify(notifications)}; failed API answers: ${JSON.stringify(answers.failed)}, ${answers.pending()} unanswered`,
      );
    };
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(savedVersion, { timeout: 60_000 }).toBe(1).catch(explainFailure('the first save never reached the server'));
    await page.getByTestId('policy-edit-explanation').waitFor({ timeout: 60_000 }).catch(explainFailure('the policy was created but its edit page did not open'));
    await page.getByRole('tab', { name: 'Quotas' }).click();
    await page.locator('input[name="document.quotas.0.limit"]').fill('640');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(savedVersion, { timeout: 60_000 }).toBe(2).catch(explainFailure('the second save (quota 640) never reached the server'));

    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    await page.locator('input[name="action"]').fill('policy.update');
    // The filter applies after its debounce; rows counted before that may be re-drawn under the click below.
    await page.waitForURL(/policy\.update/, { timeout: 15_000 });
    const rows = page.locator('tbody tr');
    await expect.poll(async () => (await rows.allInnerTexts()).filter((text) => text.includes('audited-e2e')).length, { timeout: 15_000 }).toBe(2);
    const newest = (await rows.allInnerTexts())[0];
    expect(newest).toContain('policy.update');
    expect(newest).toContain('user:admin@warden.local');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-audit-list.png'), fullPage: true });

    // The newest entry: the quota limit before and after.
    // Its first cell: the middle of a row may hold a link of its own.
    // A click that lands while the list re-draws opens nothing: click again until the entry's page is open.
    const entryOpen = () => /#\/auditEntries\/[^/?]+\/show/.test(page.url());
    await expect
      .poll(
        async () => {
          if (!entryOpen()) await rows.first().locator('td').first().click({ timeout: 2_000 }).catch(() => undefined);
          return entryOpen();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    await page.getByTestId('audit-before').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('audit-before').innerText()).resolves.toContain('"limit": "500"');
    await expect(page.getByTestId('audit-after').innerText()).resolves.toContain('"limit": "640"');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-audit-entry.png'), fullPage: true });

    await page.goBack();
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor({ timeout: 30_000 });
    await expect(result.getAttribute('data-valid')).resolves.toBe('true');
    await expect(result.innerText()).resolves.toMatch(/Chain valid: \d+ row\(s\) verified/);
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-audit-verify.png'), fullPage: true });
    await page.close();
  }, 240_000);

  it('gives a finance user no Audit log entry, and the page and the server refuse them', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(finance.email, finance.password);
    await expect(page.getByRole('menuitem', { name: 'Audit log' }).count()).resolves.toBe(0);
    await page.goto(`${testApp.baseUrl}/#/auditEntries`);
    await page.getByTestId('audit-not-for-role').waitFor({ timeout: 15_000 });
    const read = await testApp.graphql('{ allAuditEntries { id } }', undefined, finance.token);
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await page.close();
  });
});
