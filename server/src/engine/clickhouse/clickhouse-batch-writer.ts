import type { ClickHouseClient } from '@clickhouse/client';
import type { WriterMetrics } from '../metrics/writer-metrics';

/** How a table keeps re-sent rows out: checked and recorded inside the serialized flush, so never raced in-process. */
export interface DeduplicationStrategy<Row> {
  keyOf(row: Row): string;
  findStoredKeys(keys: string[]): Promise<Set<string>>;
  recordStoredRows(rows: Row[]): Promise<void>;
}

/**
 * A table whose column order is known is written as JSONCompactEachRow (arrays, no repeated keys): markedly less
 * for the engine to parse than JSONEachRow objects on the ingest hot path.
 */
export interface TableLayout {
  columns: [string, ...string[]];
}

export interface WriteOutcome {
  written: number;
  /** Keys refused because they were already stored or repeated in the same batch. */
  duplicateKeys: Set<string>;
}

interface PendingWrite<Row> {
  rows: Row[];
  enqueuedAt: number;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

interface TableBuffer<Row> {
  pending: PendingWrite<Row>[];
  rowCount: number;
  timer?: NodeJS.Timeout;
  /** The chain of batch preparations; each starts when the one before it has been checked and sent. */
  flushing: Promise<void>;
  inserting: Set<Promise<void>>;
  /**
   * Keys of rows being inserted now, each with its batch's outcome (true once the rows are stored). A re-send that
   * arrives meanwhile waits for that outcome: a duplicate only if the first copy was really stored.
   */
  keysInserting: Map<string, Promise<boolean>>;
}

interface PreparedBatch {
  fresh: unknown[];
  keys: string[];
  outcomes: WriteOutcome[];
  /** Settles the promise every key of this batch carries in keysInserting. */
  settleStored(stored: boolean): void;
}

export interface BatchWriterOptions {
  batchRows: number;
  flushIntervalMs: number;
  maxAttempts?: number;
  /** Inserts per table in flight at once (default 2): the next batch is prepared while one is being written. */
  maxConcurrentInserts?: number;
  retryBaseDelayMs?: number;
}

// Errors worth retrying: the engine or the network was briefly unavailable. Anything else is the data's fault.
const transientErrorPattern = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|TOO_MANY_SIMULTANEOUS_QUERIES|TOO_MANY_PARTS|MEMORY_LIMIT_EXCEEDED|status(?: code)?:? 50[23]\b/i;
const oversizeErrorPattern = /too large|TOO_LARGE|max_query_size|status(?: code)?:? 413\b/i;

/**
 * The one way rows reach ClickHouse: callers await their rows, rows from many callers are batched per table,
 * flushed on size or interval, retried when the failure is transient, split when a batch is too large, and
 * flushed on shutdown. A caller's promise settles only after its rows are written (or have definitely failed).
 */
export class ClickhouseBatchWriter {
  private readonly buffers = new Map<string, TableBuffer<unknown>>();
  private readonly strategies = new Map<string, DeduplicationStrategy<unknown>>();
  private readonly layouts = new Map<string, TableLayout>();
  private closed = false;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: BatchWriterOptions,
    private readonly metrics?: WriterMetrics,
    private readonly onBackgroundError?: (message: string) => void,
  ) {}

  registerDeduplication<Row>(table: string, strategy: DeduplicationStrategy<Row>): void {
    this.strategies.set(table, strategy as DeduplicationStrategy<unknown>);
  }

  registerLayout(table: string, layout: TableLayout): void {
    this.layouts.set(table, layout);
  }

  write<Row extends object>(table: string, rows: Row[]): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new Error('ClickHouse writer is closed'));
    if (rows.length === 0) return Promise.resolve({ written: 0, duplicateKeys: new Set() });
    const buffer = this.bufferFor(table);
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      buffer.pending.push({ rows, enqueuedAt: Date.now(), resolve, reject });
    });
    buffer.rowCount += rows.length;
    this.metrics?.pendingRows.inc({ table }, rows.length);
    if (buffer.rowCount >= this.options.batchRows) this.scheduleFlush(table, 0);
    else this.scheduleFlush(table, this.options.flushIntervalMs);
    return done;
  }

  /** Writes everything buffered now and waits for it. */
  async flush(): Promise<void> {
    await Promise.all([...this.buffers.keys()].map((table) => this.flushTable(table)));
  }

  async close(): Promise<void> {
    // Closed first: a write arriving during the final flush is refused, not left on a timer after the client closes.
    this.closed = true;
    await this.flush();
  }

  private bufferFor(table: string): TableBuffer<unknown> {
    let buffer = this.buffers.get(table);
    if (!buffer) {
      buffer = { pending: [], rowCount: 0, flushing: Promise.resolve(), inserting: new Set(), keysInserting: new Map() };
      this.buffers.set(table, buffer);
    }
    return buffer;
  }

  private scheduleFlush(table: string, delayMs: number): void {
    const buffer = this.bufferFor(table);
    if (buffer.timer && delayMs > 0) return;
    if (buffer.timer) clearTimeout(buffer.timer);
    buffer.timer = setTimeout(() => {
      buffer.timer = undefined;
      void this.flushTable(table);
    }, delayMs);
  }

  /**
   * Batches are prepared one after another (so a deduplication check sees every key before it) and then inserted
   * with up to `maxConcurrentInserts` in flight, so the next batch is checked and sent while the previous inserts.
   */
  private flushTable(table: string): Promise<void> {
    const buffer = this.bufferFor(table);
    if (buffer.timer) {
      clearTimeout(buffer.timer);
      buffer.timer = undefined;
    }
    buffer.flushing = buffer.flushing.then(() => this.drain(table, buffer));
    return buffer.flushing.then(() => this.settled(buffer));
  }

  private async settled(buffer: TableBuffer<unknown>): Promise<void> {
    while (buffer.inserting.size > 0) await Promise.allSettled([...buffer.inserting]);
  }

  private async drain(table: string, buffer: TableBuffer<unknown>): Promise<void> {
    const maxConcurrentInserts = this.options.maxConcurrentInserts ?? 2;
    while (buffer.pending.length > 0) {
      while (buffer.inserting.size >= maxConcurrentInserts) await Promise.race(buffer.inserting);
      const batch: PendingWrite<unknown>[] = [];
      let batchRows = 0;
      while (buffer.pending.length > 0 && (batchRows === 0 || batchRows + buffer.pending[0].rows.length <= this.options.batchRows)) {
        const next = buffer.pending.shift()!;
        batch.push(next);
        batchRows += next.rows.length;
      }
      buffer.rowCount -= batchRows;
      this.metrics?.pendingRows.dec({ table }, batchRows);
      let prepared: PreparedBatch;
      try {
        prepared = await this.prepareBatch(table, buffer, batch);
      } catch (error) {
        this.fail(table, batch, error);
        continue;
      }
      const inserting: Promise<void> = this.commitBatch(table, buffer, batch, prepared).finally(() => buffer.inserting.delete(inserting));
      buffer.inserting.add(inserting);
    }
  }

  /** Decides which rows are new: not stored, not stored by an insert in flight, not repeated within the batch. */
  private async prepareBatch(table: string, buffer: TableBuffer<unknown>, batch: PendingWrite<unknown>[]): Promise<PreparedBatch> {
    let settleStored: (stored: boolean) => void = () => undefined;
    const storedSignal = new Promise<boolean>((resolve) => (settleStored = resolve));
    const strategy = this.strategies.get(table);
    if (!strategy) {
      return {
        fresh: batch.flatMap((write) => write.rows),
        keys: [],
        outcomes: batch.map((write) => ({ written: write.rows.length, duplicateKeys: new Set<string>() })),
        settleStored,
      };
    }
    const allKeys = [...new Set(batch.flatMap((write) => write.rows.map((row) => strategy.keyOf(row))))];
    // Taken before the lookup: an insert that finishes while the lookup runs drops its keys from keysInserting,
    // and the lookup may have read the table before those keys were recorded.
    const inFlight = allKeys.filter((key) => buffer.keysInserting.has(key)).map((key) => [key, buffer.keysInserting.get(key)!] as const);
    const stored = await this.withRetry(() => strategy.findStoredKeys(allKeys));
    const seen = new Set<string>(stored);
    for (const [key, wasStored] of inFlight) if (await wasStored) seen.add(key);
    const fresh: unknown[] = [];
    const keys: string[] = [];
    const outcomes = batch.map((write) => {
      const outcome: WriteOutcome = { written: 0, duplicateKeys: new Set() };
      for (const row of write.rows) {
        const key = strategy.keyOf(row);
        if (seen.has(key)) {
          outcome.duplicateKeys.add(key);
          continue;
        }
        seen.add(key);
        fresh.push(row);
        keys.push(key);
        outcome.written += 1;
      }
      return outcome;
    });
    for (const key of keys) buffer.keysInserting.set(key, storedSignal);
    return { fresh, keys, outcomes, settleStored };
  }

  private async commitBatch(table: string, buffer: TableBuffer<unknown>, batch: PendingWrite<unknown>[], prepared: PreparedBatch): Promise<void> {
    try {
      if (prepared.fresh.length > 0) await this.insertWithRetry(table, prepared.fresh);
    } catch (error) {
      this.forget(buffer, prepared);
      prepared.settleStored(false);
      this.fail(table, batch, error);
      return;
    }
    prepared.settleStored(true);
    // The rows are stored: answer the callers now. Their keys are recorded after the answer (rows first, then keys:
    // a crash in between lets a re-send be written again — the table is a ReplacingMergeTree, so raw reads stay
    // exact — whereas keys first could lose an event for good); until recorded, they stay in keysInserting, so a
    // re-send meanwhile is still a duplicate.
    const now = Date.now();
    batch.forEach((write, index) => {
      this.metrics?.lagSeconds.observe({ table }, (now - write.enqueuedAt) / 1000);
      write.resolve(prepared.outcomes[index]);
    });
    const strategy = this.strategies.get(table);
    try {
      if (strategy && prepared.fresh.length > 0) await this.withRetry(() => strategy.recordStoredRows(prepared.fresh));
    } catch (error) {
      this.metrics?.failedBatches.inc({ table });
      this.onBackgroundError?.(`recording ${prepared.keys.length} stored keys of ${table} failed; a re-send of those rows would be written again: ${String(error)}`);
    } finally {
      this.forget(buffer, prepared);
    }
  }

  private forget(buffer: TableBuffer<unknown>, prepared: PreparedBatch): void {
    for (const key of prepared.keys) buffer.keysInserting.delete(key);
  }

  private fail(table: string, batch: PendingWrite<unknown>[], error: unknown): void {
    this.metrics?.failedBatches.inc({ table });
    for (const write of batch) write.reject(error);
  }

  private async insertWithRetry(table: string, rows: unknown[]): Promise<void> {
    try {
      const layout = this.layouts.get(table);
      if (layout) {
        const values = rows.map((row) => layout.columns.map((column) => (row as Record<string, unknown>)[column]));
        await this.withRetry(() => this.client.insert({ table, values, columns: layout.columns, format: 'JSONCompactEachRow' }));
      } else {
        await this.withRetry(() => this.client.insert({ table, values: rows, format: 'JSONEachRow' }));
      }
      this.metrics?.writtenRows.inc({ table }, rows.length);
      this.metrics?.batchRows.observe({ table }, rows.length);
    } catch (error) {
      if (rows.length > 1 && oversizeErrorPattern.test(String(error))) {
        const middle = Math.ceil(rows.length / 2);
        await this.insertWithRetry(table, rows.slice(0, middle));
        await this.insertWithRetry(table, rows.slice(middle));
        return;
      }
      throw error;
    }
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const baseDelayMs = this.options.retryBaseDelayMs ?? 100;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (attempt >= maxAttempts || !transientErrorPattern.test(String(error))) throw error;
        this.metrics?.retries.inc();
        await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
