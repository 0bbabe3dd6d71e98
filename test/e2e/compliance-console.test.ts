import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory } from '../support/started-server';
import { postEvents, startTestApp, type SignedInUser, type TestApp } from '../support/test-app';
import { repositoryRoot } from '../support/test-engines';

// The Compliance dashboard and the Exports page in a real browser, on the real HTTP app serving the built console:
// a compliance officer reads the figures, verifies the audit chain, places a legal hold, creates a report and
// downloads it; a finance user has neither entry.
describe('compliance in the console', () => {
  let testApp: TestApp;
  let browser: Browser | undefined;
  let compliance: SignedInUser;
  let finance: SignedInUser;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    testApp = await startTestApp();
    compliance = await testApp.signIn('compliance');
    finance = await testApp.signIn('finance');
    const now = Date.now();
    const answer = await postEvents(
      testApp,
      ['claims', 'claims', 'support'].map((team, index) => ({
        id: `e2e-${index}`,
        timestamp: new Date(now - (index + 1) * 3_600_000).toISOString(),
        team,
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 10,
        outputTokens: 5,
        prompt: 'hello',
      })),
    );
    expect(answer.status).toBe(200);
    if (chromiumAvailability().available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function signIn(email: string, password: string): Promise<Page> {
    // Requests is on every role's menu (Spend is not: sre and compliance have none).
    return signInThroughForm(browser!, testApp.baseUrl, email, password, { waitFor: { menuItem: 'Requests' }, pageOptions: { acceptDownloads: true } });
  }

  it('lets a compliance officer read the dashboard, verify the chain, hold a team, and download an export', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(compliance.email, compliance.password);
    await page.getByRole('menuitem', { name: 'Compliance' }).click();
    await page.getByTestId('compliance-locality').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('compliance-locality').innerText()).resolves.toContain('claims');
    await expect(page.getByTestId('audit-chain-status').innerText()).resolves.toContain('Chain intact');

    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-chain').innerText(), { timeout: 15_000 }).toBe('VERIFY CHAIN');
    await expect(page.getByTestId('audit-chain-status').innerText()).resolves.toContain('Chain intact');

    await page.getByTestId('hold-team').fill('claims');
    await page.getByTestId('hold-reason').fill('Subpoena 2026-41');
    await page.getByTestId('place-hold').click();
    await expect.poll(() => page.getByTestId('legal-holds').innerText(), { timeout: 15_000 }).toContain('Subpoena 2026-41');
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-compliance.png'), fullPage: true });

    await page.getByRole('menuitem', { name: 'Exports' }).click();
    await page.getByTestId('create-export').click();
    const downloadButton = page.getByTestId('download-export').first();
    await downloadButton.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(artifactsDirectory, 'console-exports.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), downloadButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^warden-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.html$/);
    const html = fs.readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('Compliance report');
    expect(html).toContain('Chain intact');
    expect(html).toContain('Subpoena 2026-41');
  });

  it('gives a finance user no Compliance or Exports entry, and the server refuses them', async (context) => {
    if (!browser) return context.skip();
    const page = await signIn(finance.email, finance.password);
    await expect(page.getByRole('menuitem', { name: 'Compliance' }).count()).resolves.toBe(0);
    await expect(page.getByRole('menuitem', { name: 'Exports' }).count()).resolves.toBe(0);
    const answer = await testApp.graphql('{ allExports { id } }', undefined, finance.token);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
