import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryClaimStore } from '../../../../server/src/engine/claims/memory-claim-store';
import { ClickhouseBatchWriter } from '../../../../server/src/engine/clickhouse/clickhouse-batch-writer';
import { WriteAheadLog } from '../../../../server/src/engine/clickhouse/write-ahead-log';
import { scoreReferences } from '../../../../server/src/modules/evals/score-references';
import type { ScoreRow } from '../../../../server/src/modules/evals/score-row';
import { ScoresRepository } from '../../../../server/src/modules/evals/scores.repository';
import { FaultyClickhouseClient } from '../../../support/faulty-clickhouse-client';
import { startTestEngines, temporaryDirectory, type TestEngines } from '../../../support/test-engines';

function scoreRow(id: string): ScoreRow {
  return {
    team: 'support', id, request_id: `r-${id}`, trace_id: '', span_id: '', response_id: '', refs: scoreReferences({ requestId: `r-${id}`, traceId: '', spanId: '', responseId: '' }),
    name: 'hhem-2.1', data_type: 'numeric', numeric_value: 0.3, boolean_value: null, label: '', source: 'eval', evaluator: 'hhem-2.1', comment: '',
    timestamp: '2026-03-02 10:00:00.000', hallucinated: 1, api_key_id: 'test', retention_days: 3650, ingested_at: '2026-03-02 10:00:01.000',
  };
}

// The scores stream on the real engine behind a network that breaks after ClickHouse applied an insert: the writer
// retries with the same token, and the rows and their keys (filled by the view in the same insert) are stored once.
describe('scores exactly once through an ambiguous insert failure', () => {
  let engines: TestEngines;

  beforeAll(async () => {
    engines = await startTestEngines({ WARDEN_RETENTION_DAYS: '3650' });
  });
  afterAll(async () => {
    await engines?.close();
  });

  async function count(table: string): Promise<number> {
    const result = await engines.clickhouse.query({ query: `SELECT count() AS count FROM warden.${table} WHERE team = 'support'`, format: 'JSONEachRow' });
    return Number((await result.json<{ count: string }>())[0].count);
  }

  it('stores each score and its key once, and a re-send is all duplicates', async () => {
    const faulty = new FaultyClickhouseClient(engines.clickhouse, { failInsertsAfterApplying: 1 });
    const writer = new ClickhouseBatchWriter(
      faulty.asClient(),
      { batchRows: 1000, flushIntervalMs: 5, maxAttempts: 3, retryBaseDelayMs: 1, exactReplay: true },
      new MemoryClaimStore(),
      WriteAheadLog.open(temporaryDirectory('scores-wal')),
    );
    const repository = new ScoresRepository(writer, engines.clickhouse, engines.config);
    repository.onModuleInit();
    const rows = Array.from({ length: 50 }, (_unused, index) => scoreRow(`s-${index}`));
    const outcome = await repository.writeScores(rows);
    expect(faulty.appliedThenFailed).toBe(1);
    expect(outcome.written).toBe(50);
    expect([await count('scores'), await count('score_keys')]).toEqual([50, 50]);
    const again = await repository.writeScores(rows);
    expect(again.written).toBe(0);
    expect(again.duplicateKeys.size).toBe(50);
    expect([await count('scores'), await count('score_keys')]).toEqual([50, 50]);
    await writer.close();
  });
});
