import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayEventLog } from '../../../../server/src/modules/gateway/gateway-event-log';
import { FaultyClickhouseClient, type Faults } from '../../../support/faulty-clickhouse-client';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../../../support/fake-openai-upstream';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { createScopedKey, unique } from '../policies/policy-test-support';
import { createNode, gatewayClient, loggedRequests, waitForLogged } from './gateway-support';

// ClickHouse cut off from the writer under load (inserts refused, as when the server is down): every request the
// gateway served waits in the spool (Redis stream with REDIS_URL, a file under DATA_DIR otherwise) and is stored
// once when ClickHouse returns.
describe('gateway log while ClickHouse is unreachable', () => {
  const faults: Faults = { refuseInserts: false };
  let testApp: TestApp;
  let upstream: FakeOpenAiUpstream;
  let key: string;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_NODE_HEALTH_INTERVAL_SECONDS: '3600' }, { wrapWriterClient: (client) => new FaultyClickhouseClient(client, faults).asClient() });
    key = (await createScopedKey(testApp, 'gateway')).secret;
    upstream = await startFakeOpenAiUpstream({ models: ['spool-model'] });
    await createNode(testApp, { baseUrl: upstream.url, models: ['spool-model'] });
  });
  afterAll(async () => {
    faults.refuseInserts = false;
    await testApp?.close();
    await upstream?.close();
  });

  it('counts every request served during the outage once, after ClickHouse returns', async () => {
    const team = unique('spool');
    const client = gatewayClient(testApp, key, team);
    const ask = async (index: number, stream: boolean) => {
      if (!stream) return client.chat.completions.create({ model: 'spool-model', messages: [{ role: 'user', content: `question ${index}` }] });
      const chunks = await client.chat.completions.create({ model: 'spool-model', messages: [{ role: 'user', content: `question ${index}` }], stream: true });
      for await (const _chunk of chunks) void _chunk;
      return undefined;
    };
    await Promise.all(Array.from({ length: 10 }, (_unused, index) => ask(index, index % 2 === 0)));
    await waitForLogged(testApp, team, 10);

    faults.refuseInserts = true;
    const served = 120;
    let next = 10;
    // Load while ClickHouse is away: 8 callers, streaming and not; every answer succeeds.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 10 + served) {
          const index = next;
          next += 1;
          await ask(index, index % 2 === 0);
        }
      }),
    );
    const log = testApp.app.get(GatewayEventLog);
    await log.settled();
    expect(await log.spoolSizeNow()).toBeGreaterThan(0);
    expect((await loggedRequests(testApp, team)).length).toBe(10);
    await sleep(500);

    faults.refuseInserts = false;
    const rows = await waitForLogged(testApp, team, 10 + served, 30_000);
    expect(rows).toHaveLength(10 + served);
    expect(new Set(rows.map((row) => row.id)).size).toBe(10 + served);
    expect(rows.every((row) => row.status === 'ok' && row.output_tokens === 10)).toBe(true);
    // The spool empties, and nothing is counted twice (the writer's own retry and the spool both wrote).
    for (let attempt = 0; attempt < 100 && (await log.spoolSizeNow()) > 0; attempt += 1) await sleep(100);
    expect(await log.spoolSizeNow()).toBe(0);
    const totals = await testApp.engines.clickhouse.query({
      query: `SELECT count() AS requests, sum(output_tokens) AS tokens FROM ${testApp.engines.config.clickhouse.database}.requests FINAL WHERE team = {team:String}`,
      query_params: { team },
      format: 'JSONEachRow',
    });
    expect(await totals.json()).toEqual([{ requests: String(10 + served), tokens: String((10 + served) * 10) }]);
  });
});
