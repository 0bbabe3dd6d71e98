import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayEventLog } from '../../../../server/src/modules/gateway/gateway-event-log';
import { IngestService } from '../../../../server/src/modules/ingest/ingest.service';
import { DecisionService } from '../../../../server/src/modules/policies/decision.service';
import type { PolicyDecisionRow } from '../../../../server/src/modules/policies/decisions/policy-decision-row';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { createScopedKey, unique } from '../policies/policy-test-support';
import { loggedRequests } from './gateway-support';

// The gateway's journal after a crash: what a stopped process left in its slot under DATA_DIR is handed over by the
// next process that takes the slot, once — request events by id, decision rows looked up first — even when the
// stopped process had already handed part of it over.
describe('gateway journal left by a stopped process', () => {
  let testApp: TestApp;
  let keyId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_NODE_HEALTH_INTERVAL_SECONDS: '3600' });
    keyId = (await createScopedKey(testApp, 'gateway')).id;
  });
  afterAll(async () => {
    await testApp?.close();
  });

  /** A pid no process has now: a child that has exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  /** Leaves `lines` in a journal slot owned by a process that is gone, as a crash would. */
  function leaveJournal(lines: unknown[]): void {
    const slot = path.join(testApp.engines.config.dataDir, 'gateway-journal', 'slot-1');
    fs.mkdirSync(slot, { recursive: true });
    fs.writeFileSync(path.join(slot, 'owner.pid'), String(deadPid()));
    fs.writeFileSync(path.join(slot, 'events.ndjson'), lines.map((line) => `${JSON.stringify(line)}\n`).join('') + '{"apiKeyId":"cut short by the cr');
  }

  /** What a process starting now does with the journal: take the first free slot and hand over what it holds. */
  async function startAndSettle(): Promise<void> {
    const log = new GatewayEventLog(testApp.app.get(IngestService), testApp.app.get(DecisionService), testApp.engines.writer, testApp.engines.config, new Registry());
    log.onModuleInit();
    await log.settled();
    await log.onModuleDestroy();
  }

  async function decide(team: string): Promise<PolicyDecisionRow> {
    let row: PolicyDecisionRow | undefined;
    await testApp.app.get(DecisionService).authorizeRequest({ team, model: 'journal-model', inputTokens: 10 }, { source: 'gateway', keyId, recordWith: (taken) => (row = taken) });
    return row!;
  }

  const event = (team: string, id: string, decisionId: string) => ({
    apiKeyId: keyId,
    // As the gateway records it (gateway.handler.ts), timestamp as text.
    event: {
      id, timestamp: new Date().toISOString(), team, user: '', provider: '', node: '', model: 'journal-model', operation: 'chat', inputTokens: 10, outputTokens: 5,
      cachedInputTokens: 0, latencyMs: 12, ttftMs: null, status: 'ok', errorType: '', costUsd: null, prompt: '', completion: '', metadata: {}, decisionId, location: '',
    },
  });

  async function storedDecisions(ids: string[]): Promise<string[]> {
    const result = await testApp.engines.clickhouse.query({
      query: `SELECT decision_id FROM ${testApp.engines.config.clickhouse.database}.policy_decisions WHERE decision_id IN {ids:Array(String)} ORDER BY decision_id`,
      query_params: { ids },
      format: 'JSONEachRow',
    });
    return (await result.json<{ decision_id: string }>()).map((row) => row.decision_id);
  }

  it('hands the journal over once, also when part of it was stored before the stop', async () => {
    const team = unique('journal');
    const first = await decide(team);
    const second = await decide(team);
    const firstLines = [{ decision: first }, event(team, `${team}-1`, first.decision_id), { decision: second }, event(team, `${team}-2`, second.decision_id)];

    leaveJournal(firstLines);
    await startAndSettle();
    expect((await loggedRequests(testApp, team)).map((row) => row.id)).toEqual([`${team}-1`, `${team}-2`]);
    expect(await storedDecisions([first.decision_id, second.decision_id])).toEqual([first.decision_id, second.decision_id].sort());
    expect(fs.readdirSync(path.join(testApp.engines.config.dataDir, 'gateway-journal', 'slot-1')).filter((name) => name.endsWith('.ndjson'))).toEqual([]);

    // Stopped after handing those over, before deleting its journal: the same lines again, with one new request.
    const third = await decide(team);
    leaveJournal([...firstLines, { decision: third }, event(team, `${team}-3`, third.decision_id)]);
    await startAndSettle();
    const rows = await loggedRequests(testApp, team);
    expect(rows.map((row) => row.id)).toEqual([`${team}-1`, `${team}-2`, `${team}-3`]);
    expect(rows.every((row) => row.source === 'gateway' && row.output_tokens === 5)).toBe(true);
    expect(await storedDecisions([first.decision_id, second.decision_id, third.decision_id])).toEqual([first.decision_id, second.decision_id, third.decision_id].sort());
  });

  it('hands a second of requests over as one insert, not one per thousand', async () => {
    const team = unique('journal-burst');
    const batchRows = async (suffix: 'count' | 'sum') => {
      // A histogram's samples name their series (…_sum, …_count); prom-client's type leaves that field out.
      const values = (await testApp.engines.metrics.getSingleMetric('warden_clickhouse_batch_rows')!.get()).values as Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>;
      return values.find((value) => value.metricName === `warden_clickhouse_batch_rows_${suffix}` && String(value.labels.table).split('.').pop() === 'requests')?.value ?? 0;
    };
    const log = new GatewayEventLog(testApp.app.get(IngestService), testApp.app.get(DecisionService), testApp.engines.writer, testApp.engines.config, new Registry());
    log.onModuleInit();
    const [insertsBefore, rowsBefore] = [await batchRows('count'), await batchRows('sum')];
    const decisionId = (await decide(team)).decision_id;
    for (let index = 0; index < 2_500; index += 1) {
      const { event: recorded } = event(team, `${team}-${index}`, decisionId);
      log.record(keyId, { ...recorded, timestamp: new Date(recorded.timestamp) } as Parameters<GatewayEventLog['record']>[1]);
    }
    await log.settled();
    await log.onModuleDestroy();
    expect(await batchRows('sum')).toBe(rowsBefore + 2_500);
    expect(await batchRows('count')).toBe(insertsBefore + 1);
    expect(await loggedRequests(testApp, team)).toHaveLength(2_500);
  });
});
