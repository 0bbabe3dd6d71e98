import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory } from '../support/started-server';
import { postEvents, startTestApp, type SignedInUser, type TestApp } from '../support/test-app';
import { repositoryRoot } from '../support/test-engines';

// Finance's pages in a real browser, on the real HTTP app serving the built console: requests of two teams with the
// prices their senders reported; the Spend dashboard's tiles, the Budgets page (a team budget set through the
// policies API) and the Chargeback page (a report built by the queue, inline without Redis, downloaded as CSV) show
// exactly what was ingested — to an admin and to a finance user, the roles the access table gives these pages.
describe('finance pages in the console', () => {
  let testApp: TestApp;
  let browser: Browser | undefined;
  let finance: SignedInUser;
  const claims = 'finance-e2e-claims';
  const search = 'finance-e2e-search';
  const budgetUsd = '100';
  // Whole cents, so the console's two-decimal figures are exact too; search's two gpt-4o requests make one line.
  const priced = [
    { team: claims, model: 'gpt-4o', costUsd: '12.50' },
    { team: claims, model: 'gpt-4o-mini', costUsd: '7.25' },
    { team: search, model: 'gpt-4o', costUsd: '20.00' },
    { team: search, model: 'gpt-4o', costUsd: '10.10' },
  ];
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const events = priced.map((event, index) => ({
    ...event,
    id: `finance-e2e-${index}`,
    // Seconds ago, but never last month (at the first minute of a month), so every page's month holds them all.
    timestamp: new Date(Math.max(monthStart, now.getTime() - 60_000 - index * 1000)).toISOString(),
    provider: 'openai',
    inputTokens: 100 * (index + 1),
    outputTokens: 10 * (index + 1),
  }));
  const month = events[0].timestamp.slice(0, 7);

  const nanoUsd = (usd: string): bigint => {
    const [whole, fraction = ''] = usd.split('.');
    return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  };
  /** As the console's formatUsd shows an amount of whole cents of a dollar or more: `$1,234.50`. */
  const shownUsd = (nano: bigint): string => `$${(nano / 1_000_000_000n).toLocaleString('en-US')}.${String((nano % 1_000_000_000n) / 10_000_000n).padStart(2, '0')}`;
  const spentBy = (team?: string) => events.filter((event) => team === undefined || event.team === team).reduce((sum, event) => sum + nanoUsd(event.costUsd), 0n);

  beforeAll(async () => {
    // The console is served from web/dist: build it (and the server) when missing or stale, as npm start would.
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    testApp = await startTestApp();
    finance = await testApp.signIn('finance');
    const policy = await fetch(`${testApp.baseUrl}/api/v1/policies/${claims}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.sessionToken}` },
      body: JSON.stringify({ name: claims, scope: { team: claims }, quotas: [{ name: 'monthly', metric: 'costUsd', limit: budgetUsd, period: 'month' }] }),
    });
    expect(policy.status).toBe(200);
    const ingest = await postEvents(testApp, events);
    expect(ingest.status).toBe(200);
    expect(ingest.body).toMatchObject({ accepted: events.length, unpriced: 0 });
    fs.mkdirSync(artifactsDirectory, { recursive: true });
    if (chromiumAvailability().available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /**
   * The month of the requests, in the page's own month field: Budgets and Chargeback both have one, and the page left
   * behind may still be on screen for a moment after the menu click, so the field is looked for inside this page only.
   */
  async function chooseMonth(page: Page, pageTestId: 'budgets' | 'chargeback'): Promise<void> {
    const field = page.getByTestId(pageTestId).getByLabel('Month (UTC)');
    await field.fill(month, { timeout: 30_000 });
    await expect.poll(() => field.inputValue()).toBe(month);
  }

  async function spendDashboard(page: Page, role: string): Promise<void> {
    // Sign-in lands on Spend; the default period, the last 7 days, holds the requests of a minute ago.
    await expect.poll(() => page.getByTestId('total-cost').innerText(), { timeout: 30_000 }).toBe(shownUsd(spentBy()));
    await expect(page.getByTestId('total-on-prem-cost').innerText()).resolves.toBe('$0.00');
    await expect(page.getByTestId('total-all-in-cost').innerText()).resolves.toBe(shownUsd(spentBy()));
    await expect(page.getByTestId('total-requests').innerText()).resolves.toBe(String(events.length));
    for (const team of [claims, search]) {
      const cells = page.getByTestId('top-teams').locator('tbody tr', { hasText: team }).locator('td');
      // Team, requests, tokens, APIs, own GPUs, total.
      await expect(cells.allInnerTexts()).resolves.toEqual([
        team,
        String(events.filter((event) => event.team === team).length),
        expect.any(String),
        shownUsd(spentBy(team)),
        '$0.00',
        shownUsd(spentBy(team)),
      ]);
    }
    await page.screenshot({ path: path.join(artifactsDirectory, `finance-spend-${role}.png`), fullPage: true });
  }

  async function budgets(page: Page, role: string): Promise<void> {
    await page.getByRole('menuitem', { name: 'Budgets' }).click();
    await chooseMonth(page, 'budgets');
    const claimsCells = page.getByTestId(`budget-${claims}`).locator('td');
    await claimsCells.first().waitFor({ timeout: 30_000 });
    // The status chip follows the month-end forecast, which depends on the day of the month: it must agree with the server's.
    const answer = await testApp.graphql<{ teamBudgets: Array<{ team: string; projectedOverrun: boolean }> }>('query($month: String!) { teamBudgets(month: $month) { team projectedOverrun } }', { month });
    const overrun = answer.data!.teamBudgets.find((budget) => budget.team === claims)!.projectedOverrun;
    // Team, spent, APIs, own GPUs, forecast (range), limit, share of the limit used, status.
    await expect(claimsCells.allInnerTexts()).resolves.toEqual([
      claims,
      shownUsd(spentBy(claims)),
      shownUsd(spentBy(claims)),
      '$0.00',
      expect.stringMatching(/^\$[\d,.]+ \(\$[\d,.]+ – \$[\d,.]+\)$/),
      shownUsd(nanoUsd(budgetUsd)),
      `${((Number(spentBy(claims)) / Number(nanoUsd(budgetUsd))) * 100).toFixed(0)}%`,
      overrun ? expect.stringMatching(/^Overrun/) : 'Within limit',
    ]);
    // A team without a budget is listed with its spend and no limit.
    const searchCells = page.getByTestId(`budget-${search}`).locator('td');
    await expect(searchCells.allInnerTexts()).resolves.toEqual([search, shownUsd(spentBy(search)), shownUsd(spentBy(search)), '$0.00', expect.any(String), '—', '—', '']);
    await page.getByTestId('budgets-chart').waitFor();
    await page.screenshot({ path: path.join(artifactsDirectory, `finance-budgets-${role}.png`), fullPage: true });
  }

  async function chargeback(page: Page, role: string, requestedBy: string): Promise<void> {
    await page.getByRole('menuitem', { name: 'Chargeback' }).click();
    await chooseMonth(page, 'chargeback');
    await page.getByTestId('create-chargeback').click();
    const report = page.getByTestId('chargeback-reports').locator('tbody tr', { hasText: requestedBy });
    // The job runs in the app's own queue; the list is refetched once it has completed.
    const csvButton = report.getByRole('button', { name: 'CSV' });
    await csvButton.waitFor({ timeout: 60_000 });
    const cells = report.locator('td');
    await expect(cells.nth(0).innerText()).resolves.toBe(month);
    await expect(cells.nth(3).innerText()).resolves.toBe(shownUsd(spentBy()));
    await page.screenshot({ path: path.join(artifactsDirectory, `finance-chargeback-${role}.png`), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), csvButton.click()]);
    expect(download.suggestedFilename()).toBe(`chargeback-${month}.csv`);
    const [header, ...rows] = fs.readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['month', 'team', 'category', 'provider', 'model', 'node', 'requests', 'input_tokens', 'output_tokens', 'cost_usd']);
    const lines = rows.map(([lineMonth, team, category, provider, model, node, requests, inputTokens, outputTokens, costUsd]) => ({ lineMonth, team, category, provider, model, node, requests, inputTokens, outputTokens, costNanoUsd: nanoUsd(costUsd) }));
    // One API line per team and model, the biggest first; then the team's total. Teams by total, biggest first.
    const apiLine = (team: string, model: string) => {
      const served = events.filter((event) => event.team === team && event.model === model);
      const sum = (pick: (event: (typeof events)[number]) => number) => String(served.reduce((total, event) => total + pick(event), 0));
      return { lineMonth: month, team, category: 'api', provider: 'openai', model, node: '', requests: String(served.length), inputTokens: sum((event) => event.inputTokens), outputTokens: sum((event) => event.outputTokens), costNanoUsd: served.reduce((total, event) => total + nanoUsd(event.costUsd), 0n) };
    };
    const totalLine = (team: string) => ({ lineMonth: month, team, category: 'total', provider: '', model: '', node: '', requests: '', inputTokens: '', outputTokens: '', costNanoUsd: spentBy(team) });
    expect(lines).toEqual([apiLine(search, 'gpt-4o'), totalLine(search), apiLine(claims, 'gpt-4o'), apiLine(claims, 'gpt-4o-mini'), totalLine(claims)]);
    // The per-team totals add up to the report's total: every request ingested, to the nano-dollar.
    const teamTotals = lines.filter((line) => line.category === 'total').reduce((sum, line) => sum + line.costNanoUsd, 0n);
    expect(teamTotals).toBe(spentBy());
    // And each team's lines add up to its total line.
    for (const team of [claims, search]) {
      const teamTotal = lines.find((line) => line.team === team && line.category === 'total')!.costNanoUsd;
      expect(lines.filter((line) => line.team === team && line.category === 'api').reduce((sum, line) => sum + line.costNanoUsd, 0n)).toBe(teamTotal);
    }
  }

  async function financePages(email: string, password: string, role: string): Promise<void> {
    const page = await signInThroughForm(browser!, testApp.baseUrl, email, password, { waitFor: { menuItem: 'Spend' }, pageOptions: { acceptDownloads: true } });
    try {
      await spendDashboard(page, role);
      await budgets(page, role);
      await chargeback(page, role, email);
    } catch (error) {
      await page.screenshot({ path: path.join(artifactsDirectory, `finance-${role}-failure.png`), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
  }

  it('shows an admin the exact spend, the team budget and a chargeback report whose CSV adds up', async (context) => {
    if (!browser) return context.skip();
    await financePages('admin@warden.local', testApp.adminPassword, 'admin');
  }, 240_000);

  it('shows a finance user the same figures, and their own report', async (context) => {
    if (!browser) return context.skip();
    await financePages(finance.email, finance.password, 'finance');
  }, 240_000);
});
