import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoProportionPValue } from '../../../../server/src/modules/evals/evaluation-statistics';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate, postEvents, postScores, requestEvent } from './evals-support';

// A known set: ten requests over two days, two teams, two models, scored by four evaluators. Every figure below is
// counted by hand from this table.
//   request  team   model  node        day     verdicts (hhem-2.1 < 0.5, ragas.faithfulness < 0.7, deepeval > 0.5)
//   a1       alpha  gpt-4o             03-02   hhem 0.9 ok, ragas 0.6 hallucinated  → hallucinated
//   a2       alpha  gpt-4o             03-02   hhem 0.1 hallucinated
//   a3       alpha  gpt-4o             03-02   hhem 0.5 ok (at the threshold)
//   a4       alpha  gpt-4o             03-02   (not scored)
//   b1       alpha  llama   gpu-node-a 03-02   hhem 0.2 hallucinated
//   b2       alpha  llama   gpu-node-a 03-02   hhem 0.3 hallucinated, phoenix "factual" ok → hallucinated
//   b3       alpha  llama   gpu-node-a 03-02   ragas 0.1 hallucinated
//   b4       alpha  llama   gpu-node-a 03-03   hhem 0.8 ok
//   c1       beta   gpt-4o             03-03   hhem 0.05 hallucinated
//   c2       beta   gpt-4o             03-03   deepeval 0.5 ok (at the threshold)
// Beside them: a score of team beta for "a1" (no such beta request: never joined) and a request outside the range.
const from = '2026-03-02T00:00:00Z';
const to = '2026-03-04T00:00:00Z';

const day1 = '2026-03-02T10:00:00Z';
const day2 = '2026-03-03T10:00:00Z';
const requests = [
  requestEvent('a1', { team: 'alpha', model: 'gpt-4o', timestamp: day1, prompt: 'What is our refund window?', completion: '90 days.' }),
  requestEvent('a2', { team: 'alpha', model: 'gpt-4o', timestamp: day1 }),
  requestEvent('a3', { team: 'alpha', model: 'gpt-4o', timestamp: day1 }),
  requestEvent('a4', { team: 'alpha', model: 'gpt-4o', timestamp: day1 }),
  requestEvent('b1', { team: 'alpha', model: 'llama', provider: 'vllm', node: 'gpu-node-a', timestamp: day1 }),
  requestEvent('b2', { team: 'alpha', model: 'llama', provider: 'vllm', node: 'gpu-node-a', timestamp: day1 }),
  requestEvent('b3', { team: 'alpha', model: 'llama', provider: 'vllm', node: 'gpu-node-a', timestamp: day1 }),
  requestEvent('b4', { team: 'alpha', model: 'llama', provider: 'vllm', node: 'gpu-node-a', timestamp: day2 }),
  requestEvent('c1', { team: 'beta', model: 'gpt-4o', timestamp: day2 }),
  requestEvent('c2', { team: 'beta', model: 'gpt-4o', timestamp: day2 }),
  requestEvent('outside', { team: 'alpha', model: 'gpt-4o', timestamp: '2026-03-05T10:00:00Z' }),
];
const score = (requestId: string, team: string, name: string, value: unknown) => ({ id: `${name}-${team}-${requestId}`, requestId, team, name, value, timestamp: '2026-03-04T12:00:00Z' });
const scores = [
  score('a1', 'alpha', 'hhem-2.1', 0.9),
  score('a1', 'alpha', 'ragas.faithfulness', 0.6),
  score('a2', 'alpha', 'hhem-2.1', 0.1),
  score('a3', 'alpha', 'hhem-2.1', 0.5),
  score('b1', 'alpha', 'hhem-2.1', 0.2),
  score('b2', 'alpha', 'hhem-2.1', 0.3),
  score('b2', 'alpha', 'phoenix.hallucination', 'factual'),
  score('b3', 'alpha', 'ragas.faithfulness', 0.1),
  score('b4', 'alpha', 'hhem-2.1', 0.8),
  score('c1', 'beta', 'hhem-2.1', 0.05),
  score('c2', 'beta', 'deepeval.hallucination', 0.5),
  score('a1', 'beta', 'hhem-2.1', 0),
  score('outside', 'alpha', 'hhem-2.1', 0),
];

describe('hallucination analytics are exact on a known set', () => {
  let testApp: TestApp;
  const rate = (groupBy: string[], filter: Record<string, string> = {}) => hallucinationRate(testApp, from, to, groupBy, filter);
  const counts = (rows: Array<{ requests: number; scored: number; hallucinated: number }>) => rows.map(({ requests, scored, hallucinated }) => [requests, scored, hallucinated]);

  beforeAll(async () => {
    testApp = await startTestApp();
    // Half the scores before their requests, half after: arrival order changes nothing.
    expect((await postScores(testApp, scores.slice(0, 6))).body).toMatchObject({ accepted: 6, rejected: 0 });
    expect((await postEvents(testApp, requests)).body).toMatchObject({ accepted: requests.length, rejected: 0 });
    expect((await postScores(testApp, scores.slice(6))).body).toMatchObject({ accepted: scores.length - 6, rejected: 0 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('totals: 10 requests, 9 scored, 6 hallucinated', async () => {
    expect(await rate([])).toEqual([{ team: null, model: null, node: null, day: null, evaluator: null, requests: 10, scored: 9, hallucinated: 6, rate: 6 / 9 }]);
  });

  it('by model, team, node and day', async () => {
    const byModel = await rate(['MODEL']);
    expect(byModel.map((row) => row.model)).toEqual(['gpt-4o', 'llama']);
    expect(counts(byModel)).toEqual([[6, 5, 3], [4, 4, 3]]);
    expect(byModel.map((row) => row.rate)).toEqual([3 / 5, 3 / 4]);
    const byTeam = await rate(['TEAM']);
    expect(byTeam.map((row) => [row.team, ...counts([row])[0]])).toEqual([['alpha', 8, 7, 5], ['beta', 2, 2, 1]]);
    const byNode = await rate(['NODE']);
    expect(byNode.map((row) => [row.node, ...counts([row])[0]])).toEqual([['', 6, 5, 3], ['gpu-node-a', 4, 4, 3]]);
    const byDay = await rate(['DAY']);
    expect(byDay.map((row) => [row.day, ...counts([row])[0]])).toEqual([['2026-03-02T00:00:00.000Z', 7, 6, 5], ['2026-03-03T00:00:00.000Z', 3, 3, 1]]);
  });

  it('by evaluator: each evaluator\'s own verdicts, against every request of the group', async () => {
    const byEvaluator = await rate(['EVALUATOR']);
    expect(byEvaluator.map((row) => [row.evaluator, ...counts([row])[0]])).toEqual([
      ['deepeval.hallucination', 10, 1, 0],
      ['hhem-2.1', 10, 7, 4],
      ['phoenix.hallucination', 10, 1, 0],
      ['ragas.faithfulness', 10, 2, 2],
    ]);
    const byModelAndEvaluator = await rate(['MODEL', 'EVALUATOR'], { evaluator: 'hhem-2.1' });
    expect(byModelAndEvaluator.map((row) => [row.model, row.evaluator, ...counts([row])[0]])).toEqual([
      ['gpt-4o', 'hhem-2.1', 6, 4, 2],
      ['llama', 'hhem-2.1', 4, 3, 2],
    ]);
  });

  it('filters narrow requests and scores alike', async () => {
    expect(counts(await rate([], { team: 'beta' }))).toEqual([[2, 2, 1]]);
    expect(counts(await rate([], { evaluator: 'ragas.faithfulness' }))).toEqual([[10, 2, 2]]);
    expect(counts(await rate([], { node: 'gpu-node-a', name: 'hhem-2.1' }))).toEqual([[4, 3, 2]]);
  });

  it('lists the worst requests by the definition\'s direction, with the request behind each, content per role', async () => {
    const query = `query Worst($name: String!) {
      worstScoredRequests(from: "${from}", to: "${to}", name: $name, limit: 5) { requestId team model value hallucinated request { id prompt contentVisible } }
    }`;
    type Worst = { worstScoredRequests: Array<{ requestId: string; value: number; hallucinated: boolean; request: { id: string; prompt: string; contentVisible: boolean } }> };
    const hhem = await testApp.graphql<Worst>(query, { name: 'hhem-2.1' });
    expect(hhem.errors).toBeUndefined();
    expect(hhem.data!.worstScoredRequests.map((row) => [row.requestId, row.value, row.hallucinated])).toEqual([
      ['c1', 0.05, true], ['a2', 0.1, true], ['b1', 0.2, true], ['b2', 0.3, true], ['a3', 0.5, false],
    ]);
    // lower_is_better: the highest values are the worst.
    const deepeval = await testApp.graphql<Worst>(query, { name: 'deepeval.hallucination' });
    expect(deepeval.data!.worstScoredRequests.map((row) => [row.requestId, row.value, row.hallucinated])).toEqual([['c2', 0.5, false]]);

    const a1Query = `{ worstScoredRequests(from: "${from}", to: "${to}", name: "ragas.faithfulness", filter: { model: "gpt-4o" }) { requestId request { prompt completion contentVisible } } }`;
    type Drill = { worstScoredRequests: Array<{ requestId: string; request: { prompt: string; completion: string; contentVisible: boolean } }> };
    const asAdmin = await testApp.graphql<Drill>(a1Query);
    expect(asAdmin.data!.worstScoredRequests).toEqual([{ requestId: 'a1', request: { prompt: 'What is our refund window?', completion: '90 days.', contentVisible: true } }]);
    // A viewer reads its own teams' evaluations only, without content.
    const viewerToken = (await testApp.signIn('viewer', undefined, ['alpha'])).token;
    const asViewer = await testApp.graphql<Drill>(a1Query, {}, viewerToken);
    expect(asViewer.errors).toBeUndefined();
    expect(asViewer.data!.worstScoredRequests).toEqual([{ requestId: 'a1', request: { prompt: '', completion: '', contentVisible: false } }]);
    const otherViewer = (await testApp.signIn('viewer', undefined, ['beta'])).token;
    expect((await testApp.graphql<Drill>(a1Query, {}, otherViewer)).data!.worstScoredRequests).toEqual([]);
    const betaRates = await testApp.graphql<{ hallucinationRate: Array<{ requests: number }> }>(`{ hallucinationRate(from: "${from}", to: "${to}", groupBy: [TEAM]) { team requests } }`, {}, otherViewer);
    expect(betaRates.data!.hallucinationRate.map((row) => (row as unknown as { team: string }).team)).toEqual(['beta']);
  });

  it('gives each score name its histogram: numeric by the definition\'s range, labels by value', async () => {
    type Distribution = { name: string; dataType: string; scores: number; buckets: Array<{ lower: number | null; upper: number | null; label: string; count: number; hallucinated: number }> };
    const answer = await testApp.graphql<{ scoreDistributions: Distribution[] }>(
      `{ scoreDistributions(from: "${from}", to: "${to}", buckets: 10) { name dataType scores buckets { lower upper label count hallucinated } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const byName = new Map(answer.data!.scoreDistributions.map((distribution) => [distribution.name, distribution]));
    expect([...byName.keys()]).toEqual(['deepeval.hallucination', 'hhem-2.1', 'phoenix.hallucination', 'ragas.faithfulness']);
    const hhem = byName.get('hhem-2.1')!;
    expect(hhem.scores).toBe(7);
    expect(hhem.buckets).toHaveLength(10);
    expect(hhem.buckets.map((bucket) => bucket.count)).toEqual([1, 1, 1, 1, 0, 1, 0, 0, 1, 1]);
    expect(hhem.buckets.map((bucket) => bucket.hallucinated)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(hhem.buckets[0].lower).toBe(0);
    expect(hhem.buckets[9].upper).toBeCloseTo(1, 12);
    expect(byName.get('phoenix.hallucination')!.buckets).toEqual([{ lower: null, upper: null, label: 'factual', count: 1, hallucinated: 0 }]);
  });

  it('compares two models on one evaluator, with intervals and a p-value', async () => {
    type Comparison = {
      modelComparison: {
        evaluator: string;
        rows: Array<{ model: string; requests: number; scored: number; hallucinated: number; rate: number; rateLow: number; rateHigh: number; meanValue: number }>;
        rateDifference: number;
        pValue: number;
      };
    };
    const answer = await testApp.graphql<Comparison>(
      `{ modelComparison(from: "${from}", to: "${to}", models: ["gpt-4o", "llama"], evaluator: "hhem-2.1") {
           evaluator rows { model requests scored hallucinated rate rateLow rateHigh meanValue } rateDifference pValue } }`,
    );
    expect(answer.errors).toBeUndefined();
    const comparison = answer.data!.modelComparison;
    expect(comparison.rows.map((row) => [row.model, row.requests, row.scored, row.hallucinated, row.rate])).toEqual([
      ['gpt-4o', 6, 4, 2, 0.5],
      ['llama', 4, 3, 2, 2 / 3],
    ]);
    expect(comparison.rows[0].meanValue).toBeCloseTo((0.9 + 0.1 + 0.5 + 0.05) / 4, 12);
    expect(comparison.rows[1].meanValue).toBeCloseTo((0.2 + 0.3 + 0.8) / 3, 12);
    expect(comparison.rows[0].rateLow).toBeLessThan(0.5);
    expect(comparison.rows[0].rateHigh).toBeGreaterThan(0.5);
    expect(comparison.rateDifference).toBeCloseTo(0.5 - 2 / 3, 12);
    expect(comparison.pValue).toBeCloseTo(twoProportionPValue(2, 4, 2, 3)!, 12);
  });

  it('refuses bad arguments by name', async () => {
    const backwards = await testApp.graphql(`{ hallucinationRate(from: "${to}", to: "${from}", groupBy: []) { requests } }`);
    expect(backwards.errors?.[0]).toMatchObject({ message: '"from" must be before "to"', extensions: { code: 'BAD_USER_INPUT' } });
    const oneModel = await testApp.graphql(`{ modelComparison(from: "${from}", to: "${to}", models: ["gpt-4o"], evaluator: "hhem-2.1") { evaluator } }`);
    expect(oneModel.errors?.[0].message).toBe('models must name 2 to 10 different models');
  });
});
