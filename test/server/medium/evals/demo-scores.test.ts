import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../../server/src/modules/demo/demo-loader';
import { demoHallucinationShare } from '../../../../server/src/modules/demo/demo-scores';
import { ScoresService } from '../../../../server/src/modules/evals/scores.service';
import { GpuIngestService } from '../../../../server/src/modules/gpu/gpu-ingest.service';
import { IngestService } from '../../../../server/src/modules/ingest/ingest.service';
import { NodeService } from '../../../../server/src/modules/nodes/nodes.service';
import { UsageService } from '../../../../server/src/modules/usage/usage.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate } from './evals-support';

// The demo data set, small: its scores go through the real score ingest, from two evaluators, and the
// hallucination-heavy models stand out on the Evaluations dashboard.
describe('demo data with evaluation scores', () => {
  let testApp: TestApp;
  const now = Date.now();
  const from = new Date(now - 3 * 24 * 3600_000).toISOString();
  const to = new Date(now + 3600_000).toISOString();

  beforeAll(async () => {
    testApp = await startTestApp();
    const app = testApp.app;
    await loadDemoData(
      { ingest: app.get(IngestService), usage: app.get(UsageService), gpu: app.get(GpuIngestService), nodes: app.get(NodeService), scores: app.get(ScoresService) },
      { total: 30_000, days: 2, log: () => undefined },
    );
  }, 240_000);
  afterAll(async () => {
    await testApp?.close();
  });

  it('scores a share of the chat requests by hhem-2.1 and ragas.faithfulness', async () => {
    const rows = await hallucinationRate(testApp, from, to, ['EVALUATOR']);
    expect(rows.map((row) => row.evaluator)).toEqual(['hhem-2.1', 'ragas.faithfulness']);
    const [hhem, ragas] = rows;
    expect(hhem.requests).toBeGreaterThan(29_000);
    expect(hhem.scored / hhem.requests).toBeGreaterThan(0.1);
    expect(ragas.scored).toBeGreaterThan(1000);
    expect(ragas.scored).toBeLessThan(hhem.scored);
  });

  it('shows the hallucination-heavy models well above the others', async () => {
    const byModel = new Map((await hallucinationRate(testApp, from, to, ['MODEL'])).map((row) => [row.model, row]));
    const heavy = byModel.get('meta-llama/Llama-3.1-8B-Instruct')!;
    const careful = byModel.get('claude-sonnet-4-5')!;
    expect(demoHallucinationShare['meta-llama/Llama-3.1-8B-Instruct']).toBeGreaterThan(demoHallucinationShare['claude-sonnet-4-5']);
    expect(heavy.rate!).toBeGreaterThan(0.15);
    expect(careful.rate!).toBeLessThan(0.1);
    // Embeddings are never scored.
    expect(byModel.get('text-embedding-3-small')).toMatchObject({ scored: 0, rate: null });
  });
});
