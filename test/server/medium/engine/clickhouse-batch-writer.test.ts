import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryClaimStore } from '../../../../server/src/engine/claims/memory-claim-store';
import { RedisClaimStore } from '../../../../server/src/engine/claims/redis-claim-store';
import type { ClaimStore } from '../../../../server/src/engine/claims/claim-store';
import {
  ClickhouseBatchWriter,
  StoreUnavailableError,
  type BatchWriterOptions,
  type WriterStream,
} from '../../../../server/src/engine/clickhouse/clickhouse-batch-writer';
import { createClickhouseClient } from '../../../../server/src/engine/clickhouse/clickhouse-client';
import { WriteAheadLog } from '../../../../server/src/engine/clickhouse/write-ahead-log';
import { tableRollups } from '../../../../server/src/engine/clickhouse/rollup-rebuild';
import { createWriterMetrics } from '../../../../server/src/engine/metrics/writer-metrics';
import { temporaryDirectory } from '../../../support/test-engines';
import { FaultyClickhouseClient } from '../../../support/faulty-clickhouse-client';

const database = 'writer_test';

interface EventRow {
  id: string;
  caller: number | string;
  amount?: number;
}

/** A writer with its own metrics registry, claims and write-ahead log, so each test reads only its own inserts. */
function newWriter(client: ClickHouseClient, options: Partial<BatchWriterOptions> & { logDirectory: string; claims?: ClaimStore }) {
  const registry = new Registry();
  const log = WriteAheadLog.open(options.logDirectory);
  const errors: string[] = [];
  const writer = new ClickhouseBatchWriter(
    client,
    { batchRows: 1000, flushIntervalMs: 20, maxAttempts: 2, retryBaseDelayMs: 1, stalledRetryMs: 50, exactReplay: true, ...options },
    options.claims ?? new MemoryClaimStore(),
    log,
    createWriterMetrics(registry),
    (message) => errors.push(message),
  );
  // A histogram's values carry the sample name (_count, _sum, _bucket); prom-client's Metric type does not say so.
  type Sample = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };
  const metricValues = async (name: string): Promise<Sample[]> => (await registry.getSingleMetric(name)!.get()).values as Sample[];
  return {
    writer,
    log,
    errors,
    /** Inserts made into `table`, and the rows they carried (the batch-size histogram's count and sum). */
    async inserts(table: string): Promise<{ count: number; rows: number }> {
      const values = await metricValues('warden_clickhouse_batch_rows');
      const ofTable = (suffix: string) =>
        values.find((value) => value.metricName === `warden_clickhouse_batch_rows_${suffix}` && value.labels.table === table)?.value ?? 0;
      return { count: ofTable('count'), rows: ofTable('sum') };
    },
  };
}

function rowsFor(caller: number, count: number, prefix = `c${caller}`): EventRow[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, caller, amount: 1 }));
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

  /**
   * A table shaped like the real ones: ReplacingMergeTree raw rows keeping recent insert tokens, a keys table and a
   * rollup both filled by materialized views in the same insert.
   */
  async function newTable(): Promise<{ table: string; stream: WriterStream<EventRow> }> {
    tableNumber += 1;
    const table = `${database}.events_${tableNumber}`;
    const settings = 'SETTINGS non_replicated_deduplication_window = 1000';
    await client.command({ query: `CREATE TABLE ${table} (id String, caller UInt32, amount Int64) ENGINE = ReplacingMergeTree ORDER BY id ${settings}` });
    await client.command({ query: `CREATE TABLE ${table}_keys (id String) ENGINE = ReplacingMergeTree ORDER BY id ${settings}` });
    await client.command({ query: `CREATE MATERIALIZED VIEW ${table}_keys_mv TO ${table}_keys AS SELECT id FROM ${table}` });
    await client.command({
      query: `CREATE TABLE ${table}_total (k UInt8, rows SimpleAggregateFunction(sum, UInt64), amount SimpleAggregateFunction(sum, Int128))
              ENGINE = AggregatingMergeTree ORDER BY k ${settings}`,
    });
    await client.command({
      query: `CREATE MATERIALIZED VIEW ${table}_total_mv TO ${table}_total AS SELECT 0 AS k, count() AS rows, sum(toInt128(amount)) AS amount FROM ${table} GROUP BY k`,
    });
    return {
      table,
      stream: {
        name: table,
        table,
        columns: ['id', 'caller', 'amount'],
        deduplication: {
          keyOf: (row) => row.id,
          findStoredKeys: async (keys) => {
            const result = await client.query({
              query: `SELECT id FROM ${table}_keys WHERE id IN {keys:Array(String)}`,
              query_params: { keys },
              format: 'JSONCompactEachRow',
            });
            return new Set((await result.json<[string]>()).map((row) => row[0]));
          },
        },
      },
    };
  }

  async function storedIds(table: string): Promise<string[]> {
    const result = await client.query({ query: `SELECT id FROM ${table} FINAL ORDER BY id`, format: 'JSONCompactEachRow' });
    return (await result.json<[string]>()).map((row) => row[0]);
  }

  /** Raw rows (every copy, before merges), distinct ids, and what the rollup counted. */
  async function counts(table: string): Promise<{ rawCopies: number; unique: number; rollup: number }> {
    const read = async (sql: string) => Number((await (await client.query({ query: sql, format: 'JSONCompactEachRow' })).json<[string]>())[0][0]);
    return {
      rawCopies: await read(`SELECT count() FROM ${table}`),
      unique: await read(`SELECT uniqExact(id) FROM ${table}`),
      rollup: await read(`SELECT sum(rows) FROM ${table}_total`),
    };
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

  const logDirectory = () => path.join(dataDir, `log-${tableNumber}-${Math.random().toString(36).slice(2)}`);

  it('writes rows from several concurrent callers in one insert when they stay under batchRows', async () => {
    const { table, stream } = await newTable();
    const { writer, inserts } = newWriter(client, { logDirectory: logDirectory(), flushIntervalMs: 30 });
    writer.registerStream(stream);
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((caller) => writer.write(table, rowsFor(caller, 10))));
    expect(outcomes.map((outcome) => outcome.written)).toEqual([10, 10, 10, 10, 10]);
    expect(await inserts(table)).toEqual({ count: 1, rows: 50 });
    expect(await counts(table)).toEqual({ rawCopies: 50, unique: 50, rollup: 50 });
    await writer.close();
  });

  it('flushes as soon as batchRows is reached, without waiting for the interval', async () => {
    const { table, stream } = await newTable();
    const { writer, inserts } = newWriter(client, { logDirectory: logDirectory(), batchRows: 10, flushIntervalMs: 600_000 });
    writer.registerStream(stream);
    const writes = [writer.write(table, rowsFor(1, 6)), writer.write(table, rowsFor(2, 4)), writer.write(table, rowsFor(3, 10))];
    const outcomes = await within(Promise.all(writes), 10_000, 'a size-triggered flush');
    expect(outcomes.map((outcome) => outcome.written)).toEqual([6, 4, 10]);
    // No insert goes over batchRows: the two small writes share one, the third has its own.
    expect(await inserts(table)).toEqual({ count: 2, rows: 20 });
    await writer.close();
  });

  it('writes everything queued on close() and refuses writes after it with 503', async () => {
    const { table, stream } = await newTable();
    const { writer } = newWriter(client, { logDirectory: logDirectory(), flushIntervalMs: 600_000 });
    writer.registerStream(stream);
    const queued = writer.write(table, rowsFor(2, 4));
    await within(writer.close(), 10_000, 'close()');
    await expect(queued).resolves.toMatchObject({ written: 4 });
    expect(await storedIds(table)).toHaveLength(4);
    await expect(writer.write(table, rowsFor(3, 1))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("rejects the caller's promise with ClickHouse's error when the table does not exist, and keeps other streams working", async () => {
    const { table, stream } = await newTable();
    const { writer } = newWriter(client, { logDirectory: logDirectory() });
    writer.registerStream(stream);
    writer.registerStream({ name: 'missing', table: `${database}.no_such_table`, columns: ['id', 'caller', 'amount'] });
    const failing = writer.write('missing', rowsFor(1, 2));
    const working = writer.write(table, rowsFor(2, 2));
    await expect(failing).rejects.toThrow(/no_such_table|UNKNOWN_TABLE|doesn't exist|does not exist/i);
    await expect(working).resolves.toMatchObject({ written: 2 });
    await writer.close();
  });

  it('refuses a key repeated in a batch or stored before, and inserts nothing when every key is stored', async () => {
    const { table, stream } = await newTable();
    const { writer, inserts } = newWriter(client, { logDirectory: logDirectory() });
    writer.registerStream(stream);
    const outcomes = await Promise.all([
      writer.write(table, [{ id: 'a', caller: 1, amount: 1 }, { id: 'b', caller: 1, amount: 1 }, { id: 'a', caller: 1, amount: 1 }]),
      writer.write(table, [{ id: 'b', caller: 2, amount: 1 }, { id: 'c', caller: 2, amount: 1 }]),
    ]);
    expect(outcomes[0].written).toBe(2);
    expect([...outcomes[0].duplicateKeys]).toEqual(['a']);
    expect([...outcomes[1].duplicateKeys]).toEqual(['b']);
    const again = await writer.write(table, [{ id: 'a', caller: 3, amount: 1 }, { id: 'd', caller: 3, amount: 1 }]);
    expect(again.written).toBe(1);
    expect([...again.duplicateKeys]).toEqual(['a']);
    const before = await inserts(table);
    const allStored = await writer.write(table, [{ id: 'b', caller: 4, amount: 1 }, { id: 'd', caller: 4, amount: 1 }]);
    expect(allStored).toEqual({ written: 0, duplicateKeys: new Set(['b', 'd']), refusedRows: new Map() });
    expect(await inserts(table)).toEqual(before);
    expect(await counts(table)).toEqual({ rawCopies: 4, unique: 4, rollup: 4 });
    await writer.close();
  });

  it('isolates a row ClickHouse refuses: the other rows of its caller and of other callers are stored', async () => {
    const { table, stream } = await newTable();
    const { writer } = newWriter(client, { logDirectory: logDirectory() });
    writer.registerStream(stream);
    const [clean, dirty] = await Promise.all([
      writer.write(table, rowsFor(1, 20)),
      // "caller" is a UInt32 column: text that is not a number fails the whole insert until the row is isolated.
      writer.write(table, [...rowsFor(2, 5), { id: 'bad', caller: 'not a number', amount: 1 }, ...rowsFor(3, 5)]),
    ]);
    expect(clean).toMatchObject({ written: 20, refusedRows: new Map() });
    expect(dirty.written).toBe(10);
    expect([...dirty.refusedRows.keys()]).toEqual([5]);
    expect(dirty.refusedRows.get(5)).toMatch(/refused by ClickHouse/);
    expect(await counts(table)).toEqual({ rawCopies: 30, unique: 30, rollup: 30 });
    await writer.close();
  });

  it('retries an insert that failed after it was applied with the same token: stored once, counted once', async () => {
    const { table, stream } = await newTable();
    // The connection breaks after ClickHouse applied the insert: the writer cannot know it was stored.
    const faulty = new FaultyClickhouseClient(client, { failInsertsAfterApplying: 2 });
    const { writer } = newWriter(faulty.asClient(), { logDirectory: logDirectory(), maxAttempts: 5 });
    writer.registerStream(stream);
    const outcomes = await Promise.all([writer.write(table, rowsFor(1, 100)), writer.write(table, rowsFor(2, 100))]);
    expect(outcomes.map((outcome) => outcome.written)).toEqual([100, 100]);
    expect(faulty.appliedThenFailed).toBe(2);
    expect(await counts(table)).toEqual({ rawCopies: 200, unique: 200, rollup: 200 });
    await writer.close();
  });

  it('answers 503 while the store is down, keeps the batch, writes it when the store returns, and a re-send is then a duplicate', async () => {
    const { table, stream } = await newTable();
    const faulty = new FaultyClickhouseClient(client, { refuseInserts: true });
    const { writer } = newWriter(faulty.asClient(), { logDirectory: logDirectory(), maxAttempts: 2, stalledRetryMs: 100, maxClaimWaitMs: 300 });
    writer.registerStream(stream);
    await expect(writer.write(table, rowsFor(1, 10))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(writer.health().ready).toBe(false);
    // A re-send while the first copy is kept waits on its claims and is told to retry, never stored twice.
    await expect(writer.write(table, rowsFor(1, 10))).rejects.toBeInstanceOf(StoreUnavailableError);
    faulty.options.refuseInserts = false;
    await within(
      (async () => {
        while (!writer.health().ready) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      10_000,
      'the background retry',
    );
    expect(await counts(table)).toEqual({ rawCopies: 10, unique: 10, rollup: 10 });
    const resent = await writer.write(table, rowsFor(1, 10));
    expect(resent.written).toBe(0);
    expect(resent.duplicateKeys.size).toBe(10);
    await writer.close();
  });

  it('refuses a write with 503 and queues none of it when the stream holds too many unanswered rows', async () => {
    const { table, stream } = await newTable();
    const { writer } = newWriter(client, { logDirectory: logDirectory(), maxPendingRows: 1000, flushIntervalMs: 600_000 });
    writer.registerStream(stream);
    const first = writer.write(table, rowsFor(1, 900));
    await expect(writer.write(table, rowsFor(2, 200))).rejects.toThrow(/Ingest is behind: 900 rows are waiting/);
    await writer.flush();
    await expect(first).resolves.toMatchObject({ written: 900 });
    expect(await counts(table)).toMatchObject({ unique: 900, rollup: 900 });
    await writer.close();
  });

  /**
   * A table with a time column and an hourly rollup, declared to the writer for the repair after a crash: the
   * shape of requests, GPU samples and policy decisions.
   */
  async function newHourlyTable(): Promise<{ table: string; stream: WriterStream<EventRow & { at: string }> }> {
    tableNumber += 1;
    const table = `${database}.hourly_${tableNumber}`;
    const settings = 'SETTINGS non_replicated_deduplication_window = 1000';
    await client.command({ query: `CREATE TABLE ${table} (id String, at DateTime64(3, 'UTC'), amount Int64) ENGINE = ReplacingMergeTree ORDER BY id ${settings}` });
    await client.command({
      query: `CREATE TABLE ${table}_total (hour DateTime('UTC'), rows SimpleAggregateFunction(sum, UInt64), amount SimpleAggregateFunction(sum, Int128))
              ENGINE = AggregatingMergeTree ORDER BY hour ${settings}`,
    });
    await client.command({
      query: `CREATE MATERIALIZED VIEW ${table}_total_mv TO ${table}_total AS
              SELECT toStartOfHour(at) AS hour, count() AS rows, sum(toInt128(amount)) AS amount FROM ${table} GROUP BY hour`,
    });
    return { table, stream: { name: table, table, columns: ['id', 'at', 'amount'], rollups: tableRollups(client, { table, timeColumn: 'at' }) } };
  }

  /** Rows over two hours, as the writer logs them. */
  function hourlyRows(count: number): { rows: Array<EventRow & { at: string }>; lines: string[] } {
    const rows = Array.from({ length: count }, (_, index) => ({
      id: `h-${index}`,
      caller: 0,
      at: `2026-11-20 0${8 + (index % 2)}:${String(index % 60).padStart(2, '0')}:00.000`,
      amount: 1,
    }));
    return { rows, lines: rows.map((row) => JSON.stringify([row.id, row.at, row.amount])) };
  }

  async function hourlyCounts(table: string): Promise<{ stored: number; hours: Record<string, number>; amount: number }> {
    const read = async <T>(sql: string) => (await (await client.query({ query: sql, format: 'JSONEachRow' })).json<T>());
    const stored = await read<{ n: string }>(`SELECT count() AS n FROM ${table} FINAL`);
    const hours = await read<{ hour: string; rows: string; amount: string }>(
      `SELECT hour, sum(rows) AS rows, sum(amount) AS amount FROM ${table}_total GROUP BY hour ORDER BY hour`,
    );
    return {
      stored: Number(stored[0].n),
      hours: Object.fromEntries(hours.map((row) => [row.hour, Number(row.rows)])),
      amount: hours.reduce((total, row) => total + Number(row.amount), 0),
    };
  }

  /** The log a crashed process left: one batch, and a slot whose lock is free for the next start. */
  async function crashedLog(stream: string, lines: string[]): Promise<string> {
    const directory = logDirectory();
    const crashed = WriteAheadLog.open(directory);
    await crashed.append({ token: 'crashed-batch', stream, chunks: [lines.length], keys: [], body: lines.join('\n') });
    // What the operating system does for a process that died: its file closed, its slot's lock free (the batch
    // stays pending). An unclosed handle would only be closed by the garbage collector, with Node's warning.
    await crashed.close();
    return directory;
  }

  async function insertWithToken(table: string, lines: string[]): Promise<void> {
    const result = await client.exec({
      query: `INSERT INTO ${table} (id, at, amount) SETTINGS insert_deduplication_token = 'crashed-batch/0', deduplicate_blocks_in_dependent_materialized_views = 1 FORMAT JSONCompactEachRow`,
      values: Readable.from([lines.join('\n')]),
    });
    for await (const _chunk of result.stream) void _chunk;
  }

  const twoHours = { '2026-11-20T08:00:00Z': 25, '2026-11-20T09:00:00Z': 25 };

  it('replays a logged batch after a crash: what was half applied is completed, nothing is added twice', async () => {
    const { table, stream } = await newHourlyTable();
    const { lines } = hourlyRows(50);
    const directory = await crashedLog(table, lines);
    // A crash right after ClickHouse stored the raw rows and before the rollup got its part: the raw insert is
    // made by hand with the batch's token while the rollup view is detached.
    await client.command({ query: `DETACH TABLE ${table}_total_mv` });
    await insertWithToken(table, lines);
    await client.command({ query: `ATTACH TABLE ${table}_total_mv` });
    expect(await hourlyCounts(table)).toEqual({ stored: 50, hours: {}, amount: 0 });

    const restarted = newWriter(client, { logDirectory: directory });
    restarted.writer.registerStream(stream);
    expect(await restarted.writer.recover()).toEqual({ replayed: 1, rows: 50 });
    expect(await hourlyCounts(table)).toEqual({ stored: 50, hours: twoHours, amount: 50 });
    await restarted.writer.close();
    expect(WriteAheadLog.open(directory).pendingBatches()).toEqual([]);
  });

  it('repairs a crash that left a table holding a batch token without its part: the rows and the rollup are whole again', async () => {
    const { table, stream } = await newHourlyTable();
    const { lines } = hourlyRows(50);
    const directory = await crashedLog(table, lines);
    // The kill fell between a table recording the block's token and renaming its part into place. Recorded tokens
    // without their parts are made here by storing the batch with its token, then deleting the parts' rows: a
    // replay with the same token is now refused as a duplicate by both the table and its rollup.
    await insertWithToken(table, lines);
    await client.command({ query: `ALTER TABLE ${table} DELETE WHERE id < 'h-3' SETTINGS mutations_sync = 2` });
    await client.command({ query: `ALTER TABLE ${table}_total DELETE WHERE 1 SETTINGS mutations_sync = 2` });
    await insertWithToken(table, lines);
    expect((await hourlyCounts(table)).hours).toEqual({});

    const restarted = newWriter(client, { logDirectory: directory });
    restarted.writer.registerStream(stream);
    expect(await restarted.writer.recover()).toEqual({ replayed: 1, rows: 50 });
    expect(await hourlyCounts(table)).toEqual({ stored: 50, hours: twoHours, amount: 50 });
    // Run again (a kill during the repair repeats it at the next start): the same totals.
    await stream.rollups!.rebuildFor(lines.map((line) => ({ at: JSON.parse(line)[1] })));
    expect(await hourlyCounts(table)).toEqual({ stored: 50, hours: twoHours, amount: 50 });
    await restarted.writer.close();
  });

  describe.skipIf(!process.env.REDIS_URL)('two writers with separate memory, sharing Redis claims', () => {
    it('never store or count an id twice when they race the same ids', async () => {
      const { table, stream } = await newTable();
      const prefix = `warden-test:${process.pid}:${tableNumber}:`;
      const claimStores = [0, 1].map(() => new RedisClaimStore(process.env.REDIS_URL!, prefix));
      const writers = claimStores.map((claims) => newWriter(client, { logDirectory: logDirectory(), claims, exactReplay: false }));
      for (const { writer } of writers) writer.registerStream(stream);
      // The same 300 ids go to both writers, in overlapping slices, all at once.
      const writes = [];
      for (let slice = 0; slice < 6; slice += 1) {
        for (const { writer } of writers) writes.push(writer.write(table, rowsFor(9, 300).slice(slice * 50, slice * 50 + 100)));
      }
      const outcomes = await Promise.all(writes);
      expect(outcomes.reduce((sum, outcome) => sum + outcome.written, 0)).toBe(300);
      expect(await counts(table)).toEqual({ rawCopies: 300, unique: 300, rollup: 300 });
      for (const { writer } of writers) await writer.close();
      for (const claims of claimStores) await claims.close();
    });
  });
});
