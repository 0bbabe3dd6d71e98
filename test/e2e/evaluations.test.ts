import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory, startServerAsUser, type StartedServer } from '../support/started-server';

// The Evaluations dashboard and the Score definitions resource in a real browser against `npm start`. Ten requests of
// two models are scored by two evaluators; every figure on the page is counted by hand from this table:
//   gpt-4o       hhem 0.9 0.8 0.7 0.2 0.95 (1 flagged) + ragas 0.5 on the first (flagged)  → 2 of 5
//   llama-local  hhem 0.1 0.3 0.6 0.05 0.85 (3 flagged) + ragas 0.9 on the third (ok)     → 3 of 5
describe('Evaluations in a real browser', () => {
  let server: StartedServer;
  const hhem = [0.9, 0.8, 0.7, 0.2, 0.95, 0.1, 0.3, 0.6, 0.05, 0.85];
  const requests = hhem.map((_value, index) => ({
    id: `eval-e2e-${index}`,
    timestamp: new Date(Date.now() - (index + 1) * 600_000).toISOString(),
    team: 'support',
    provider: index < 5 ? 'openai' : 'vllm',
    model: index < 5 ? 'gpt-4o' : 'llama-local',
    inputTokens: 500,
    outputTokens: 100,
    prompt: `e2e prompt ${index}`,
    completion: `e2e answer ${index}`,
  }));
  const scores = [
    ...hhem.map((value, index) => ({ id: `hhem-${index}`, requestId: `eval-e2e-${index}`, team: 'support', name: 'hhem-2.1', value, source: 'eval', comment: value < 0.5 ? 'unsupported claim' : '' })),
    { id: 'ragas-0', requestId: 'eval-e2e-0', team: 'support', name: 'ragas.faithfulness', value: 0.5 },
    { id: 'ragas-7', requestId: 'eval-e2e-7', team: 'support', name: 'ragas.faithfulness', value: 0.9 },
  ];

  async function post(route: string, body: unknown[]): Promise<void> {
    const answer = await fetch(`${server.baseUrl}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const result = (await answer.json()) as { accepted: number };
    expect(result.accepted, JSON.stringify(result)).toBe(body.length);
  }

  beforeAll(async () => {
    server = await startServerAsUser();
    // Scores first: they count once their requests arrive.
    await post('/api/v1/ingest/scores', scores);
    await post('/api/v1/ingest/requests', requests);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const signIn = (page: Page) => signInThroughForm(page, server.baseUrl, 'admin@warden.local', server.adminPassword, { waitFor: { testId: 'total-cost' } });

  it('shows the rate, the models, the worst requests (each a link to its request) and a comparison', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1200 } });
      await signIn(page);
      await page.getByRole('menuitem', { name: 'Evaluations' }).click();
      await page.waitForURL(/#\/evaluations/);
      await expect(page.getByTestId('evaluations-rate').innerText({ timeout: 30_000 })).resolves.toBe('50.0%');
      await expect(page.getByTestId('evaluations-hallucinated').innerText()).resolves.toBe('5');
      await expect(page.getByTestId('evaluations-scored').innerText()).resolves.toBe('10');

      const byModel = page.getByTestId('rate-by-model');
      await expect(byModel.locator('tbody tr').allInnerTexts()).resolves.toEqual([
        expect.stringMatching(/^llama-local\s+60\.0%\s+3\s+5\s+5$/),
        expect.stringMatching(/^gpt-4o\s+40\.0%\s+2\s+5\s+5$/),
      ]);
      const byEvaluator = page.getByTestId('rate-by-evaluator');
      await expect(byEvaluator.locator('tbody tr').first().innerText()).resolves.toMatch(/^ragas\.faithfulness\s+50\.0%\s+1\s+2$/);

      const comparison = page.getByTestId('model-comparison');
      await comparison.locator('tbody tr').first().waitFor({ timeout: 15_000 });
      await expect(comparison.locator('tbody tr').allInnerTexts()).resolves.toEqual([
        expect.stringMatching(/^gpt-4o\s+20\.0%/),
        expect.stringMatching(/^llama-local\s+60\.0%/),
      ]);
      await expect(page.getByTestId('comparison-verdict').innerText()).resolves.toMatch(/^40\.0 percentage points lower for the first model/);

      const worst = page.getByTestId('worst-requests');
      await worst.locator('tbody tr').first().waitFor({ timeout: 15_000 });
      const worstIds = await worst.locator('tbody tr td:first-child').allInnerTexts();
      expect(worstIds.slice(0, 5)).toEqual(['eval-e2e-8', 'eval-e2e-5', 'eval-e2e-3', 'eval-e2e-6', 'eval-e2e-7']);
      await page.screenshot({ path: path.join(artifactsDirectory, 'evaluations.png'), fullPage: true });

      await worst.getByRole('link', { name: 'eval-e2e-8' }).click();
      await page.waitForURL(/#\/requests\/eval-e2e-8\/show/);
      await page.getByText('e2e prompt 8').waitFor({ timeout: 15_000 });
    } finally {
      await browser.close();
    }
  });

  it('lists the shipped score definitions and creates one through the form', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await signIn(page);
      await page.getByRole('menuitem', { name: 'Score definitions' }).click();
      await page.locator('tbody tr', { hasText: 'hhem-2.1' }).waitFor({ timeout: 15_000 });
      await expect(page.locator('tbody tr', { hasText: 'hhem-2.1' }).innerText()).resolves.toContain('hallucinated below 0.5');

      await page.goto(`${server.baseUrl}/#/scoreDefinitions/create`);
      await page.locator('input[name="name"]').fill('e2e.judge');
      await page.getByLabel('Type').click();
      await page.getByRole('option', { name: 'Boolean' }).click();
      await page.getByLabel('Direction').click();
      await page.getByRole('option', { name: /^Lower is better/ }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/#\/scoreDefinitions(\?|$)/, { timeout: 15_000 });
      await page.goto(`${server.baseUrl}/#/scoreDefinitions?filter=${encodeURIComponent(JSON.stringify({ q: 'e2e' }))}`);
      const row = page.locator('tbody tr', { hasText: 'e2e.judge' });
      await row.waitFor({ timeout: 15_000 });
      await expect(row.innerText()).resolves.toContain('hallucinated when true');
    } finally {
      await browser.close();
    }
  });
});
