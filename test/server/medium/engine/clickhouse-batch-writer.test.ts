import * as fs from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickhouseBatchWriter, type DeduplicationStrategy, type WriteOutcome } from '../../../../server/src/engine/clickhouse/clickhouse-batch-writer';
import { createClickhouseClient } from '../../../../server/src/engine/clickhouse/clickhouse-client';
import { createWriterMetrics } from '../../../../server/src/engine/metrics/writer-metrics';
import { temporaryDirectory } from '../../../support/test-engines';

const database = 'writer_test';

interface EventRow {
  id: string;
  caller: number;
}

/** A writer with its own metrics registry, so each test reads only its own inserts. */
function newWriter(client: ClickHouseClient, options: { batchRows: number; flushIntervalMs: number }) {
  const registry = new Registry();
  const writer = new ClickhouseBatchWriter(client, { ...options, maxAttempts: 2, retryBaseDelayMs: 1 }, createWriterMetrics(registry));
  // A histogram's values carry the sample name (_count, _sum, _bucket); prom-client's Metric type does not say so.
  type Sample = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };
  const metricValues = async (name: string): Promise<Sample[]> => (await registry.getSingleMetric(name)!.get()).values as Sample[];
  return {
    writer,
    /** Inserts made into `table`, and the rows they carried (the batch-size histogram's count and sum). */
    async inserts(table: string): Promise<{ count: number; rows: number }> {
      const values = await metricValues('warden_clickhouse_batch_rows');
      const ofTable = (suffix: string) =>
        values.find((value) => value.metricName === `warden_clickhouse_batch_rows_${suffix}` && value.labels.table === table)?.value ?? 0;
      return { count: ofTable('count'), rows: ofTable('sum') };
    },
    async failedBatches(table: string): Promise<number> {
      return (await metricValues('warden_clickhouse_failed_batches_total')).find((value) => value.labels.table === table)?.value ?? 0;
    },
  };
}

function rowsFor(caller: number, count: number, prefix = `c${caller}`): EventRow[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, caller }));
}

/** Rejects when `promise` is still pending after `milliseconds`: a flush that never comes fails fast and clearly. */
function within<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${milliseconds} ms`)), milliseconds).unref()),
  ]);
}

describe('ClickhouseBatchWriter on the embedded engine', () => {
  let dataDir: string;
  let client: ClickHouseClient;
  let tableNumber = 0;

  async function newTable(): Promise<string> {
    tableNumber += 1;
    const table = `${database}.events_${tableNumber}`;
    await client.command({ query: `CREATE TABLE ${table} (id String, caller UInt32) ENGINE = MergeTree ORDER BY id` });
    return table;
  }

  async function storedIds(table: string): Promise<string[]> {
    const result = await client.query({ query: `SELECT id FROM ${table} ORDER BY id`, format: 'JSONEachRow' });
    return (await result.json<{ id: string }>()).map((row) => row.id);
  }

  beforeAll(async () => {
    dataDir = temporaryDirectory('batch-writer');
    client = createClickhouseClient({ dataDir, database });
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  });
  afterAll(async () => {
    await client?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes rows from several concurrent callers in one insert when they stay under batchRows', async () => {
    const table = await newTable();
    const { writer, inserts } = newWriter(client, { batchRows: 1000, flushIntervalMs: 30 });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((caller) => writer.write(table, rowsFor(caller, 10))));
    expect(outcomes.map((outcome) => outcome.written)).toEqual([10, 10, 10, 10, 10]);
    expect(await inserts(table)).toEqual({ count: 1, rows: 50 });
    expect(await storedIds(table)).toHaveLength(50);
    await writer.close();
  });

  it('flushes as soon as batchRows is reached, without waiting for the interval', async () => {
    const table = await newTable();
    const { writer, inserts } = newWriter(client, { batchRows: 10, flushIntervalMs: 600_000 });
    const writes = [writer.write(table, rowsFor(1, 6)), writer.write(table, rowsFor(2, 4)), writer.write(table, rowsFor(3, 10))];
    const outcomes = await within(Promise.all(writes), 10_000, 'a size-triggered flush');
    expect(outcomes.map((outcome) => outcome.written)).toEqual([6, 4, 10]);
    // No insert goes over batchRows: the two small writes share one, the third has its own.
    expect(await inserts(table)).toEqual({ count: 2, rows: 20 });
    expect(await storedIds(table)).toHaveLength(20);
    await writer.close();
  });

  it('writes everything buffered on flush(), and on close() before refusing more', async () => {
    const table = await newTable();
    const { writer, inserts } = newWriter(client, { batchRows: 1000, flushIntervalMs: 600_000 });
    const first = writer.write(table, rowsFor(1, 3));
    await within(writer.flush(), 10_000, 'flush()');
    await expect(first).resolves.toMatchObject({ written: 3 });
    expect(await storedIds(table)).toHaveLength(3);

    const second = writer.write(table, rowsFor(2, 4));
    await within(writer.close(), 10_000, 'close()');
    await expect(second).resolves.toMatchObject({ written: 4 });
    expect(await storedIds(table)).toHaveLength(7);
    expect(await inserts(table)).toEqual({ count: 2, rows: 7 });
    await expect(writer.write(table, rowsFor(3, 1))).rejects.toThrow('ClickHouse writer is closed');
  });

  it("rejects the caller's promise with ClickHouse's error when the table does not exist, and keeps other tables working", async () => {
    const table = await newTable();
    const missing = `${database}.no_such_table`;
    const { writer, failedBatches } = newWriter(client, { batchRows: 1000, flushIntervalMs: 5 });
    const failing = writer.write(missing, rowsFor(1, 2));
    const working = writer.write(table, rowsFor(2, 2));
    await expect(failing).rejects.toThrow(/no_such_table|UNKNOWN_TABLE|doesn't exist|does not exist/i);
    await expect(working).resolves.toMatchObject({ written: 2 });
    expect(await failedBatches(missing)).toBe(1);
    expect(await storedIds(table)).toEqual(['c2-0', 'c2-1']);
    await writer.close();
  });

  describe('with a deduplication strategy backed by a ClickHouse key table', () => {
    let table: string;
    let keysTable: string;
    let writer: ClickhouseBatchWriter;
    let inserts: (table: string) => Promise<{ count: number; rows: number }>;

    beforeAll(async () => {
      table = await newTable();
      keysTable = `${table}_keys`;
      await client.command({ query: `CREATE TABLE ${keysTable} (id String) ENGINE = MergeTree ORDER BY id` });
      ({ writer, inserts } = newWriter(client, { batchRows: 1000, flushIntervalMs: 30 }));
      const strategy: DeduplicationStrategy<EventRow> = {
        keyOf: (row) => row.id,
        findStoredKeys: async (keys) => {
          const result = await client.query({
            query: `SELECT id FROM ${keysTable} WHERE id IN {keys:Array(String)}`,
            query_params: { keys },
            format: 'JSONEachRow',
          });
          return new Set((await result.json<{ id: string }>()).map((row) => row.id));
        },
        recordStoredRows: async (rows) => {
          await client.insert({ table: keysTable, values: rows.map((row) => ({ id: row.id })), format: 'JSONEachRow' });
        },
      };
      writer.registerDeduplication(table, strategy);
    });
    afterAll(async () => {
      await writer?.close();
    });

    it('refuses a key repeated inside one batch, within one caller and across callers', async () => {
      const outcomes: WriteOutcome[] = await Promise.all([
        writer.write(table, [{ id: 'a', caller: 1 }, { id: 'b', caller: 1 }, { id: 'a', caller: 1 }]),
        writer.write(table, [{ id: 'b', caller: 2 }, { id: 'c', caller: 2 }]),
      ]);
      expect(outcomes[0].written).toBe(2);
      expect([...outcomes[0].duplicateKeys]).toEqual(['a']);
      expect(outcomes[1].written).toBe(1);
      expect([...outcomes[1].duplicateKeys]).toEqual(['b']);
      expect(await storedIds(table)).toEqual(['a', 'b', 'c']);
      expect(await inserts(table)).toEqual({ count: 1, rows: 3 });
    });

    it('refuses keys stored by an earlier batch', async () => {
      const outcome = await writer.write(table, [{ id: 'a', caller: 3 }, { id: 'c', caller: 3 }, { id: 'd', caller: 3 }]);
      expect(outcome.written).toBe(1);
      expect([...outcome.duplicateKeys].sort()).toEqual(['a', 'c']);
      expect(await storedIds(table)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('writes nothing, and inserts nothing, when every key is already stored', async () => {
      const before = await inserts(table);
      const outcome = await writer.write(table, [{ id: 'b', caller: 4 }, { id: 'd', caller: 4 }]);
      expect(outcome).toEqual({ written: 0, duplicateKeys: new Set(['b', 'd']) });
      expect(await inserts(table)).toEqual(before);
      expect(await storedIds(table)).toEqual(['a', 'b', 'c', 'd']);
    });
  });
});
