import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertConfigurationService } from '../../../../server/src/modules/alerts/alert-configuration.service';
import { AlertEvaluatorService } from '../../../../server/src/modules/alerts/alert-evaluator.service';
import { loadDemoData } from '../../../../server/src/modules/demo/demo-loader';
import { demoHallucinationShare } from '../../../../server/src/modules/demo/demo-scores';
import { ScoresService } from '../../../../server/src/modules/evals/scores.service';
import { GpuIngestService } from '../../../../server/src/modules/gpu/gpu-ingest.service';
import { IngestService } from '../../../../server/src/modules/ingest/ingest.service';
import { NodeService } from '../../../../server/src/modules/nodes/nodes.service';
import { PoliciesService } from '../../../../server/src/modules/policies/policies.service';
import { UsageService } from '../../../../server/src/modules/usage/usage.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate } from '../evals/evals-support';

// The demo data set, small, through the real ingest paths: scores from two evaluators with the hallucination-heavy
// models standing out, GPU nodes that declare what they serve, and personal data the demo policies handle.
describe('demo data', () => {
  let testApp: TestApp;
  const now = Date.now();
  const from = new Date(now - 3 * 24 * 3600_000).toISOString();
  const to = new Date(now + 3600_000).toISOString();

  beforeAll(async () => {
    testApp = await startTestApp();
    const app = testApp.app;
    await loadDemoData(
      { ingest: app.get(IngestService), usage: app.get(UsageService), gpu: app.get(GpuIngestService), nodes: app.get(NodeService), scores: app.get(ScoresService), policies: app.get(PoliciesService), alerts: app.get(AlertConfigurationService) },
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

  it('registers the GPU nodes on premises with the self-hosted models the demo traffic runs on them', async () => {
    const answer = await testApp.graphql<{ allNodes: Array<{ name: string; location: string; models: string[] }> }>('{ allNodes(sortField: "name", sortOrder: "ASC") { name location models } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.allNodes).toEqual([
      { name: 'gpu-node-a', location: 'on-premises', models: ['meta-llama/Llama-3.1-8B-Instruct'] },
      { name: 'gpu-node-b', location: 'on-premises', models: ['meta-llama/Llama-3.3-70B-Instruct', 'internal-finetune-v3'] },
      { name: 'gpu-node-c', location: 'on-premises', models: ['qwen2.5-coder:32b'] },
    ]);
  });

  it('masks or hashes the personal data in demo content per the demo policies, and counts it for the Compliance view', async () => {
    const answer = await testApp.graphql<{ complianceView: { personalData: Array<{ team: string; detector: string; action: string; requests: number }> } }>(
      `{ complianceView(from: "${from}", to: "${to}") { personalData { team detector action requests } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const found = answer.data!.complianceView.personalData.map(({ team, detector, action }) => `${team} ${detector} ${action}`).sort();
    // A request's action is its strictest: an address with a phone number beside it is stored masked, not hashed.
    expect(found).toEqual(['legal-review email mask', 'legal-review phone mask', 'support-bot email hash', 'support-bot email mask', 'support-bot phone mask']);
    expect(answer.data!.complianceView.personalData.every((row) => row.requests > 0)).toBe(true);
    // Stored masked or hashed for these two teams; another team's content is kept as sent.
    const prompts = async (team: string) => {
      const answer = await testApp.graphql<{ allRequests: Array<{ prompt: string | null }> }>(`{ allRequests(perPage: 1000, filter: { team: "${team}" }) { prompt } }`);
      expect(answer.errors).toBeUndefined();
      return answer.data!.allRequests.map((request) => request.prompt ?? '').filter((prompt) => prompt.includes('invoice doubled'));
    };
    for (const team of ['legal-review', 'support-bot']) {
      const seen = await prompts(team);
      expect(seen.length, team).toBeGreaterThan(0);
      for (const prompt of seen) expect(prompt).not.toContain('ana.silva@example.com');
    }
    const asSent = await prompts('search');
    expect(asSent.length).toBeGreaterThan(0);
    for (const prompt of asSent) expect(prompt).toContain('ana.silva@example.com');
  });

  it('has alert rules that fire on the demo data: the hallucination-heavy model and the idle GPU', async () => {
    await testApp.app.get(AlertEvaluatorService).evaluateNow();
    const answer = await testApp.graphql<{ allAlerts: Array<{ kind: string; state: string; labels: Record<string, string> }> }>('{ allAlerts(perPage: 100) { kind state labels } }');
    expect(answer.errors).toBeUndefined();
    const firing = answer.data!.allAlerts.filter((alert) => alert.state === 'firing');
    expect(firing.filter((alert) => alert.kind === 'hallucination_rate').map((alert) => alert.labels.model)).toContain('meta-llama/Llama-3.1-8B-Instruct');
    expect(firing.filter((alert) => alert.kind === 'hallucination_rate').map((alert) => alert.labels.model)).not.toContain('claude-sonnet-4-5');
    expect(firing.some((alert) => alert.kind === 'gpu_idle' && alert.labels.node === 'gpu-node-c')).toBe(true);
  });
});
