import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import type { WardenConfig } from '../../../../server/src/engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../../../server/src/engine/engine.module';
import { CostRecomputeService } from '../../../../server/src/modules/ingest/cost-recompute.service';
import { IngestRepository } from '../../../../server/src/modules/ingest/ingest.repository';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

const day = { from: '2026-05-11T00:00:00.000Z', to: '2026-05-12T00:00:00.000Z' };
const offHours = { from: '2026-05-11T00:00:00.001Z', to: '2026-05-11T23:59:59.999Z' };

const eventsFrom = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    timestamp: `2026-05-11T${String(9 + (index % 3)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00Z`,
    team: ['search', 'legal', 'support'][index % 3],
    provider: 'acme',
    model: 'acme-overlap-model',
    inputTokens: 1000 + index,
    outputTokens: 100 + (index % 17),
  }));

// $3 per million input tokens, $15 per million output: 3,000 and 15,000 nano-USD per token, exact.
const costOf = (event: { inputTokens: number; outputTokens: number }) => BigInt(event.inputTokens) * 3000n + BigInt(event.outputTokens) * 15_000n;

describe('re-pricing overlapping itself and live ingest', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  async function totals(range: { from: string; to: string }) {
    const answer = await testApp.graphql<{ spend: Array<{ requests: number; unpricedRequests: number; costNanoUsd: string }> }>(
      'query Spend($from: DateTime!, $to: DateTime!) { spend(from: $from, to: $to, groupBy: [], filter: { model: "acme-overlap-model" }) { requests unpricedRequests costNanoUsd } }',
      range,
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.spend[0];
  }

  it('adds each difference once: two runs at the same time, and events arriving meanwhile, end exact in rows and rollup', async () => {
    const early = eventsFrom('early', 600);
    expect((await postEvents(testApp, early)).body).toMatchObject({ accepted: 600, unpriced: 600 });
    const price = await testApp.graphql(
      `mutation { createPrice(modelPattern: "acme-overlap-model", provider: "acme", inputPerMillionUsd: 3, outputPerMillionUsd: 15,
                              effectiveFrom: "2026-05-01T00:00:00Z") { id } }`,
    );
    expect(price.errors, JSON.stringify(price.errors)).toBeUndefined();

    const recompute = testApp.app.get(CostRecomputeService);
    const noProgress = async () => undefined;
    const late = eventsFrom('late', 300);
    const [first, second] = await Promise.all([
      recompute.recompute(new Date(day.from), new Date(day.to), noProgress),
      recompute.recompute(new Date('2026-05-11T09:30:00Z'), new Date('2026-05-11T12:00:00Z'), noProgress),
      // Live ingest into the same hours while both run; these are priced at ingest with the new price.
      (async () => {
        for (let start = 0; start < late.length; start += 50) await postEvents(testApp, late.slice(start, start + 50));
      })(),
    ]);
    // The runs took turns: together they re-priced each early request exactly once.
    expect(first.repriced + second.repriced).toBe(600);

    const expectedCost = [...early, ...late].reduce((sum, event) => sum + costOf(event), 0n).toString();
    const expected = { requests: 900, unpricedRequests: 0, costNanoUsd: expectedCost };
    expect(await totals(day)).toEqual(expected);
    expect(await totals(offHours)).toEqual(expected);

    // Running again changes nothing.
    const third = await recompute.recompute(new Date(day.from), new Date(day.to), noProgress);
    expect(third.repriced).toBe(0);
    expect(await totals(day)).toEqual(expected);

    // The rollups rebuilt from the stored rows, as after a crash on the embedded engine: each re-priced request
    // counts once, at its current cost, in the spend and compliance rollups alike.
    await testApp.app.get(IngestRepository).rollups.rebuildFor([{ timestamp: '2026-05-11 09:00:00.000' }, { timestamp: '2026-05-11 11:59:59.999' }]);
    await testApp.app.get(IngestRepository).rollups.rebuildFor([{ timestamp: '2026-05-11 10:30:00.000' }]);
    expect(await totals(day)).toEqual(expected);
    expect(await totals(offHours)).toEqual(expected);
    const compliance = await testApp.app.get<ClickHouseClient>(CLICKHOUSE).query({
      query: `SELECT sum(requests) AS requests FROM ${testApp.app.get<WardenConfig>(CONFIG).clickhouse.database}.requests_compliance_hourly
              WHERE model = 'acme-overlap-model'`,
      format: 'JSONEachRow',
    });
    expect(await compliance.json()).toEqual([{ requests: '900' }]);
  });
});
