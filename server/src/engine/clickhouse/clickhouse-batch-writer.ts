import * as crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClaimStore } from '../claims/claim-store';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { WriterMetrics } from '../metrics/writer-metrics';
import { classifyInsertFailure } from './insert-failures';
import type { WalBatch, WriteAheadLog } from './write-ahead-log';

/*
 * Exactly once, across retries, crashes and processes — the argument.
 *
 * 1. A batch claims the keys of its rows (ClaimStore: Redis when several processes share the stores, memory when
 *    one process owns them) and only then asks the store which keys are already there. Two batches can never both
 *    find a key missing: the second waits for the first one's claim to go, and by then the first one's rows (and
 *    the keys view filled in the same insert) are stored, or definitely not.
 * 2. Before its first insert attempt a batch is appended to the write-ahead log (fsynced, in DATA_DIR), and every
 *    insert carries an insert_deduplication_token derived from the batch. The tables and every rollup a
 *    materialized view fills keep the recent tokens, so a retry after an ambiguous failure, or a replay after a
 *    crash, completes whatever part (raw rows, a rollup, the keys) is missing and adds nothing twice.
 * 3. A batch is answered only when stored; callers then hold the truth. A batch the store cannot take keeps its
 *    claims and its log entry and is retried in the background until stored; its callers are answered 503 and a
 *    re-send meanwhile waits on the claims, then finds the rows stored.
 * 4. On start, batches left in the log are replayed before any new write. The embedded engine dies with the
 *    process, so one of its inserts can be half applied (raw rows stored, a rollup not), and in a way the tokens
 *    cannot see: a table records a block's token just before the block's part is renamed into place, so a kill in
 *    between leaves the token without the part, and a replay with that token would be dropped as a duplicate. So
 *    there the logged rows are inserted again with deduplication off (every table the writer fills is a
 *    ReplacingMergeTree: a second copy collapses into the first), then each stream's rollups are rebuilt from the
 *    stored rows for the hours those rows touched (WriterStream.rollups), and only then do the batches leave the
 *    log: a kill during the repair repeats it at the next start. A ClickHouse server finishes or refuses an insert
 *    whole when its client dies, but another process may have stored some of the keys since: there the keys found
 *    stored are dropped first, and the rest is replayed with its token.
 * 5. A data error in the rows (a value a column cannot take) is isolated by splitting the batch, so one caller's
 *    bad row never costs another caller anything. One insert carries at most maxInsertBytes (under ClickHouse's
 *    10 MiB parallel-parsing chunk), so an insert is one block: refused whole or stored whole.
 */

/** How a stream's rows are recognised as already stored. */
export interface DeduplicationStrategy<Row> {
  keyOf(row: Row): string;
  /** Which of these keys the store holds (read from the store, never from memory). */
  findStoredKeys(keys: string[]): Promise<Set<string>>;
  /** Claim keys while a batch is written (default true); false where a lock already serialises the writers. */
  claim?: boolean;
  /** Ask the store on every write (default true); false: only when replaying after a restart. */
  lookupOnWrite?: boolean;
}

export interface WriterStream<Row> {
  /** Stable name, kept in the write-ahead log across versions. */
  name: string;
  table: string;
  columns: [string, ...string[]];
  /** One row as a JSONCompactEachRow line in `columns` order; by default JSON of the columns' values. */
  serialize?(row: Row): string;
  deduplication?: DeduplicationStrategy<Row>;
  /**
   * Required of a stream whose table feeds a view that adds rows up: on the embedded engine a crashed batch is
   * inserted again without deduplication (point 4 above), and this puts the sums right again.
   */
  rollups?: RollupRebuild;
}

/** What a table's summing views hold, rebuilt from the table's stored rows. */
export interface RollupRebuild {
  /**
   * Empties every rollup bucket these rows fall in and fills it again from the stored rows. The rows are as logged,
   * one object per row keyed by column name (ClickHouse text for times). Must be safe to run twice.
   */
  rebuildFor(rows: Array<Record<string, unknown>>): Promise<void>;
}

export interface WriteOutcome {
  written: number;
  /** Keys refused because they were already stored or repeated in the same batch. */
  duplicateKeys: Set<string>;
  /** Rows the store refused (a data error isolated to them), by index in the caller's rows, with the reason. */
  refusedRows: Map<number, string>;
}

export interface BatchWriterOptions {
  batchRows: number;
  flushIntervalMs: number;
  /** Attempts per insert while the store is unavailable, before the batch is left to the background retry. */
  maxAttempts?: number;
  retryBaseDelayMs?: number;
  /**
   * Inserts per stream in flight at once (default 2): the next batch is prepared while one is written. Writes that
   * arrive meanwhile wait and go out together, so fewer in flight means larger, cheaper inserts.
   */
  maxConcurrentInserts?: number;
  /** Rows a stream may hold unanswered before new writes are refused with 503 (default 200,000). */
  maxPendingRows?: number;
  /** Lease of the writer's key claims; renewed while a batch is unfinished (default 30 s). */
  claimLeaseMs?: number;
  /** How long a batch waits for keys another writer holds before giving up with 503 (default 35 s). */
  maxClaimWaitMs?: number;
  /** Background retry interval for batches the store could not take (default 2 s). */
  stalledRetryMs?: number;
  /** Largest body of one insert (default 8 MiB). */
  maxInsertBytes?: number;
  /** Replay logged batches exactly (the embedded engine) rather than dropping keys stored since (a server). */
  exactReplay?: boolean;
}

interface PendingWrite<Row> {
  rows: Row[];
  enqueuedAt: number;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

interface StreamState {
  definition: WriterStream<unknown>;
  pending: PendingWrite<unknown>[];
  /** Rows in `pending`, not yet taken into a batch. */
  queuedRows: number;
  /** Rows handed to write() and not yet answered. */
  unansweredRows: number;
  timer?: NodeJS.Timeout;
  /** The chain of batch preparations: each starts when the one before it has been checked and sent. */
  preparing: Promise<void>;
  inserting: Set<Promise<void>>;
}

/** A batch checked and ready to insert: its fresh rows as lines, with where each came from. */
interface PreparedBatch {
  token: string;
  stream: StreamState;
  writes: PendingWrite<unknown>[];
  outcomes: WriteOutcome[];
  lines: string[];
  /** The lines joined, as logged and (when one chunk) inserted. */
  body: string;
  keys: string[];
  /** For each line: [index of the caller's write, index of the row in it]. */
  origins: Array<[number, number]>;
  chunks: number[];
  /** Keys this batch holds claims on, released once its outcome is known. */
  claimed: string[];
}

export class StoreUnavailableError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.StoreUnavailable, message, { retryAfterSeconds });
  }
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The one way rows reach ClickHouse: callers await their rows, rows from many callers are batched per stream,
 * flushed on size or interval, checked for duplicates under claims, logged ahead, inserted with deduplication
 * tokens, retried while the store is unavailable, split to isolate bad rows, and flushed on shutdown.
 */
export class ClickhouseBatchWriter {
  private readonly streams = new Map<string, StreamState>();
  private readonly stalled = new Set<PreparedBatch>();
  private readonly inFlight = new Set<PreparedBatch>();
  private readonly instanceId = crypto.randomBytes(6).toString('hex');
  private sequence = 0;
  private closed = false;
  private readonly leaseTimer: NodeJS.Timeout;
  private stalledTimer?: NodeJS.Timeout;
  private retryingStalled = false;
  private lastFailure: { message: string; at: Date } | null = null;
  /** Set when a write fails for want of the store, cleared by the next insert that succeeds. */
  private failing = false;
  private markRecovered!: () => void;
  /** Resolves once `recover` has replayed what the log held: a re-send checked against the store after it is exact. */
  readonly recovered = new Promise<void>((resolve) => (this.markRecovered = resolve));

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: BatchWriterOptions,
    private readonly claims: ClaimStore,
    private readonly log: WriteAheadLog | null,
    private readonly metrics?: WriterMetrics,
    private readonly onBackgroundError: (message: string) => void = () => undefined,
  ) {
    // Claims of unfinished batches are renewed well before their lease lapses.
    this.leaseTimer = setInterval(() => void this.renewClaims(), Math.max(1000, this.leaseMs / 3));
    this.leaseTimer.unref();
  }

  private get leaseMs(): number {
    return this.options.claimLeaseMs ?? 30_000;
  }

  registerStream<Row>(stream: WriterStream<Row>): void {
    const existing = this.streams.get(stream.name);
    if (existing) {
      existing.definition = stream as WriterStream<unknown>;
      return;
    }
    this.streams.set(stream.name, {
      definition: stream as WriterStream<unknown>,
      pending: [],
      queuedRows: 0,
      unansweredRows: 0,
      preparing: Promise.resolve(),
      inserting: new Set(),
    });
  }

  /**
   * Resolves once the rows are stored (or found stored already). Refused at once with 503 when the stream already
   * holds maxPendingRows unanswered rows, so a caller is never half accepted.
   */
  write<Row extends object>(streamName: string, rows: Row[]): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The server is shutting down; retry against another instance', 1));
    const stream = this.streams.get(streamName);
    if (!stream) return Promise.reject(new Error(`no writer stream registered as ${streamName}`));
    if (rows.length === 0) return Promise.resolve({ written: 0, duplicateKeys: new Set(), refusedRows: new Map() });
    const maxPendingRows = this.options.maxPendingRows ?? 200_000;
    if (stream.unansweredRows + rows.length > maxPendingRows) {
      return Promise.reject(
        new StoreUnavailableError(
          `Ingest is behind: ${stream.unansweredRows} rows are waiting to be stored (limit ${maxPendingRows}); nothing of this request was accepted, retry shortly`,
          this.stalled.size > 0 ? 5 : 1,
        ),
      );
    }
    stream.unansweredRows += rows.length;
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      stream.pending.push({
        rows,
        enqueuedAt: Date.now(),
        resolve: (outcome) => {
          stream.unansweredRows -= rows.length;
          resolve(outcome);
        },
        reject: (error) => {
          stream.unansweredRows -= rows.length;
          reject(error);
        },
      });
    });
    stream.queuedRows += rows.length;
    this.metrics?.pendingRows.inc({ table: stream.definition.table }, rows.length);
    this.scheduleFlush(stream, stream.queuedRows >= this.options.batchRows ? 0 : this.options.flushIntervalMs);
    return done;
  }

  /** Writes everything queued now and waits for it. */
  async flush(): Promise<void> {
    await Promise.all([...this.streams.values()].map((stream) => this.flushStream(stream)));
  }

  /** The writer's view of the store for /readyz: not ready while batches wait for an unavailable store. */
  health(): { ready: boolean; stalledBatches: number; lastFailure: { message: string; at: Date } | null } {
    return { ready: this.stalled.size === 0 && !this.failing, stalledBatches: this.stalled.size, lastFailure: this.lastFailure };
  }

  private noteFailure(error: unknown): void {
    this.failing = true;
    this.lastFailure = { message: describe(error), at: new Date() };
  }

  /**
   * Replays the batches an earlier run of this process's log slot left unfinished. Call after every stream is
   * registered and before serving writes.
   */
  async recover(progress: (line: string) => void = () => undefined): Promise<{ replayed: number; rows: number }> {
    const logged = this.log?.pendingBatches() ?? [];
    if (logged.length > 0) {
      progress(
        this.options.exactReplay
          ? `Writing again ${logged.length} batch(es) the last run left unfinished, then rebuilding the rollup hours they touch`
          : `Replaying ${logged.length} batch(es) the last run left unfinished`,
      );
    }
    const outcome = this.options.exactReplay ? await this.repairAfterCrash(logged) : await this.replay(logged);
    this.markRecovered();
    return outcome;
  }

  private streamOf(logged: WalBatch): StreamState {
    const stream = this.streams.get(logged.stream);
    if (!stream) throw new Error(`the write-ahead log holds a batch for the unknown stream "${logged.stream}"; was it renamed?`);
    return stream;
  }

  /** A server's replay: each batch, less the keys stored since, with its token (point 4). */
  private async replay(batches: WalBatch[]): Promise<{ replayed: number; rows: number }> {
    let replayed = 0;
    let rowCount = 0;
    for (const logged of batches) {
      const stream = this.streamOf(logged);
      const batch = await this.batchFromLog(stream, logged);
      try {
        await this.insertBatch(batch);
      } catch (error) {
        await this.releaseClaims(batch);
        throw error;
      }
      await this.log!.complete(logged.token);
      await this.releaseClaims(batch);
      replayed += 1;
      rowCount += batch.lines.length;
    }
    return { replayed, rows: rowCount };
  }

  /** The embedded engine's replay: every logged row again, deduplication off, then the rollups rebuilt (point 4). */
  private async repairAfterCrash(batches: WalBatch[]): Promise<{ replayed: number; rows: number }> {
    let rowCount = 0;
    const touched = new Map<string, { rollups: RollupRebuild; rows: Array<Record<string, unknown>> }>();
    for (const logged of batches) {
      const stream = this.streamOf(logged);
      const batch = await this.batchFromLog(stream, logged);
      let offset = 0;
      for (const size of batch.chunks) {
        await this.insertLines(stream.definition, batch.lines.slice(offset, offset + size), null);
        offset += size;
      }
      rowCount += batch.lines.length;
      const { table, columns, rollups } = stream.definition;
      if (!rollups) continue;
      const entry = touched.get(table) ?? { rollups, rows: [] };
      for (const line of batch.lines) entry.rows.push(rowOfLine(columns, line));
      touched.set(table, entry);
    }
    for (const { rollups, rows } of touched.values()) await this.withRetry(() => rollups.rebuildFor(rows));
    for (const logged of batches) await this.log!.complete(logged.token);
    return { replayed: batches.length, rows: rowCount };
  }

  /** Refuses new writes, writes what is queued, and leaves unfinished batches in the log for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    clearInterval(this.leaseTimer);
    if (this.stalledTimer) clearTimeout(this.stalledTimer);
    for (const batch of this.stalled) await this.releaseClaims(batch).catch(() => undefined);
    await this.log?.close();
  }

  private scheduleFlush(stream: StreamState, delayMs: number): void {
    if (stream.timer && delayMs > 0) return;
    if (stream.timer) clearTimeout(stream.timer);
    stream.timer = setTimeout(() => {
      stream.timer = undefined;
      void this.flushStream(stream);
    }, delayMs);
  }

  private flushStream(stream: StreamState): Promise<void> {
    if (stream.timer) {
      clearTimeout(stream.timer);
      stream.timer = undefined;
    }
    stream.preparing = stream.preparing.then(() => this.drain(stream));
    return stream.preparing.then(async () => {
      while (stream.inserting.size > 0) await Promise.allSettled([...stream.inserting]);
    });
  }

  /** Takes queued writes into batches of at most batchRows, each prepared after the one before it was sent. */
  private async drain(stream: StreamState): Promise<void> {
    const maxConcurrentInserts = this.options.maxConcurrentInserts ?? 2;
    while (stream.pending.length > 0) {
      while (stream.inserting.size >= maxConcurrentInserts) await Promise.race(stream.inserting);
      const writes: PendingWrite<unknown>[] = [];
      let rows = 0;
      while (stream.pending.length > 0 && (rows === 0 || rows + stream.pending[0].rows.length <= this.options.batchRows)) {
        const next = stream.pending.shift()!;
        writes.push(next);
        rows += next.rows.length;
      }
      stream.queuedRows -= rows;
      this.metrics?.pendingRows.dec({ table: stream.definition.table }, rows);
      let batch: PreparedBatch;
      try {
        batch = await this.prepare(stream, writes);
      } catch (error) {
        this.fail(stream, writes, error);
        continue;
      }
      const inserting: Promise<void> = this.commit(batch).finally(() => stream.inserting.delete(inserting));
      stream.inserting.add(inserting);
    }
  }

  /** Claims the batch's keys, then keeps only rows that are neither stored nor repeated in the batch. */
  private async prepare(stream: StreamState, writes: PendingWrite<unknown>[]): Promise<PreparedBatch> {
    this.sequence += 1;
    const token = `${this.instanceId}-${Date.now().toString(36)}-${this.sequence}`;
    const definition = stream.definition;
    const deduplication = definition.deduplication;
    const serialize = definition.serialize ?? ((row: unknown) => JSON.stringify(definition.columns.map((column) => (row as Record<string, unknown>)[column])));
    const batch: PreparedBatch = {
      token,
      stream,
      writes,
      outcomes: writes.map(() => ({ written: 0, duplicateKeys: new Set<string>(), refusedRows: new Map<number, string>() })),
      lines: [],
      body: '',
      keys: [],
      origins: [],
      chunks: [],
      claimed: [],
    };
    if (!deduplication) {
      writes.forEach((write, writeIndex) =>
        write.rows.forEach((row, rowIndex) => {
          batch.lines.push(serialize(row));
          batch.keys.push('');
          batch.origins.push([writeIndex, rowIndex]);
          batch.outcomes[writeIndex].written += 1;
        }),
      );
    } else {
      const rowKeys = writes.map((write) => write.rows.map((row) => deduplication.keyOf(row)));
      const uniqueKeys = [...new Set(rowKeys.flat())];
      if (deduplication.claim !== false) batch.claimed = await this.claimAll(stream, uniqueKeys, token);
      let stored = new Set<string>();
      try {
        if (deduplication.lookupOnWrite !== false) stored = await this.withRetry(() => deduplication.findStoredKeys(uniqueKeys));
      } catch (error) {
        await this.releaseClaims(batch);
        throw error;
      }
      const seen = new Set<string>(stored);
      writes.forEach((write, writeIndex) =>
        write.rows.forEach((row, rowIndex) => {
          const key = rowKeys[writeIndex][rowIndex];
          if (seen.has(key)) {
            batch.outcomes[writeIndex].duplicateKeys.add(key);
            return;
          }
          seen.add(key);
          batch.lines.push(serialize(row));
          batch.keys.push(key);
          batch.origins.push([writeIndex, rowIndex]);
          batch.outcomes[writeIndex].written += 1;
        }),
      );
    }
    batch.body = batch.lines.join('\n');
    batch.chunks = this.planChunks(batch.lines, batch.body);
    return batch;
  }

  /**
   * Holds every key or throws. Keys another writer holds are waited for; a writer that has waited long while
   * holding some keys lets them go and starts again, so two processes wanting each other's keys never deadlock.
   */
  private async claimAll(stream: StreamState, keys: string[], owner: string): Promise<string[]> {
    if (keys.length === 0) return [];
    const prefix = `${stream.definition.name}\u0000`;
    const claimKeys = keys.map((key) => prefix + key);
    const deadline = Date.now() + (this.options.maxClaimWaitMs ?? 35_000);
    let held = new Set<string>();
    let waitingSince = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const missing = held.size === 0 ? claimKeys : claimKeys.filter((key) => !held.has(key));
      for (const key of await this.claims.acquire(missing, owner, this.leaseMs)) held.add(key);
      if (held.size === claimKeys.length) return claimKeys;
      if (Date.now() > deadline) {
        await this.claims.release([...held], owner);
        throw new StoreUnavailableError('Some events of this request are being written by another request right now; retry shortly', 2);
      }
      if (Date.now() - waitingSince > 2000 && this.claims.driver === 'redis') {
        await this.claims.release([...held], owner);
        held = new Set();
        await sleep(50 + Math.random() * 200);
        waitingSince = Date.now();
        continue;
      }
      await sleep(Math.min(50, 2 + attempt * 2));
    }
  }

  /** Logs the batch ahead, inserts it, and answers its callers once the outcome is known. */
  private async commit(batch: PreparedBatch): Promise<void> {
    this.inFlight.add(batch);
    try {
      if (batch.lines.length > 0) {
        try {
          await this.log?.append(this.toLogEntry(batch));
        } catch (error) {
          // Not logged means never inserted: the callers may simply retry.
          this.noteFailure(error);
          await this.releaseClaims(batch);
          this.fail(batch.stream, batch.writes, new StoreUnavailableError(`The server cannot record the batch on disk (${describe(error)}); retry shortly`, 5));
          return;
        }
        try {
          await this.insertBatch(batch);
        } catch (error) {
          if (classifyInsertFailure(error) === 'unavailable') {
            this.stall(batch, error);
            return;
          }
          // The statement itself is wrong: nothing was stored and nothing ever will be, so the log entry is done.
          await this.log?.complete(batch.token).catch(() => undefined);
          await this.releaseClaims(batch);
          this.fail(batch.stream, batch.writes, error);
          return;
        }
        await this.log?.complete(batch.token).catch((error: unknown) => this.onBackgroundError(`marking batch ${batch.token} done failed: ${describe(error)}`));
      }
      await this.releaseClaims(batch);
      this.answer(batch);
    } finally {
      this.inFlight.delete(batch);
    }
  }

  private answer(batch: PreparedBatch): void {
    const table = batch.stream.definition.table;
    const now = Date.now();
    batch.writes.forEach((write, index) => {
      this.metrics?.lagSeconds.observe({ table }, (now - write.enqueuedAt) / 1000);
      write.resolve(batch.outcomes[index]);
    });
  }

  /** The store is unavailable: callers get 503, the batch keeps its claims and log entry and is retried. */
  private stall(batch: PreparedBatch, error: unknown): void {
    this.noteFailure(error);
    this.metrics?.failedBatches.inc({ table: batch.stream.definition.table });
    this.stalled.add(batch);
    this.onBackgroundError(
      `ClickHouse could not take a batch of ${batch.lines.length} rows for ${batch.stream.definition.table} (${describe(error)}); it is kept and retried in the background`,
    );
    for (const write of batch.writes) {
      write.reject(new StoreUnavailableError(`ClickHouse is unavailable (${describe(error)}); the rows of this request are kept and written when it returns, and a re-send is then answered "duplicate"`, 5));
    }
    this.scheduleStalledRetry();
  }

  private scheduleStalledRetry(): void {
    if (this.stalledTimer || this.closed) return;
    this.stalledTimer = setTimeout(() => {
      this.stalledTimer = undefined;
      void this.retryStalled();
    }, this.options.stalledRetryMs ?? 2000);
    this.stalledTimer.unref();
  }

  private async retryStalled(): Promise<void> {
    if (this.retryingStalled) return;
    this.retryingStalled = true;
    try {
      for (const batch of [...this.stalled]) {
        try {
          await this.insertBatch(batch);
        } catch (error) {
          this.noteFailure(error);
          if (classifyInsertFailure(error) === 'unavailable') break;
          this.onBackgroundError(`a kept batch for ${batch.stream.definition.table} was refused by ClickHouse and dropped: ${describe(error)}`);
        }
        this.stalled.delete(batch);
        await this.log?.complete(batch.token).catch(() => undefined);
        await this.releaseClaims(batch).catch(() => undefined);
      }
    } finally {
      this.retryingStalled = false;
      if (this.stalled.size > 0) this.scheduleStalledRetry();
    }
  }

  /** Inserts the batch chunk by chunk with tokens derived from its own; refused rows are recorded on the outcomes. */
  private async insertBatch(batch: PreparedBatch): Promise<void> {
    let offset = 0;
    for (const [index, size] of batch.chunks.entries()) {
      const lines = batch.chunks.length === 1 ? batch.lines : batch.lines.slice(offset, offset + size);
      const refused = await this.insertLines(batch.stream.definition, lines, `${batch.token}/${index}`, batch.chunks.length === 1 ? batch.body : undefined);
      for (const [line, reason] of refused) this.refuse(batch, offset + line, reason);
      offset += size;
    }
  }

  private refuse(batch: PreparedBatch, line: number, reason: string): void {
    const origin = batch.origins[line];
    if (!origin) return;
    const outcome = batch.outcomes[origin[0]];
    outcome.refusedRows.set(origin[1], reason);
    outcome.written -= 1;
    this.metrics?.refusedRows?.inc({ table: batch.stream.definition.table });
  }

  /**
   * One insert with retries while the store is unavailable. A too-large insert is halved; rows refused by the
   * engine are narrowed down by halving until each bad row stands alone. Returns the refused lines with reasons.
   * `token` null: deduplication off (a repair after a crash, point 4).
   */
  private async insertLines(stream: WriterStream<unknown>, lines: string[], token: string | null, body?: string): Promise<Map<number, string>> {
    try {
      const text = body ?? lines.join('\n');
      await this.withRetry(() => this.insertText(stream, text, token));
      this.failing = false;
      this.metrics?.writtenRows.inc({ table: stream.table }, lines.length);
      this.metrics?.batchRows.observe({ table: stream.table }, lines.length);
      return new Map();
    } catch (error) {
      const kind = classifyInsertFailure(error);
      if (kind === 'rows' && lines.length === 1) return new Map([[0, `refused by ClickHouse: ${describe(error)}`]]);
      if ((kind === 'rows' || kind === 'oversize') && lines.length > 1) {
        const middle = Math.ceil(lines.length / 2);
        const first = await this.insertLines(stream, lines.slice(0, middle), token === null ? null : `${token}.0`);
        const second = await this.insertLines(stream, lines.slice(middle), token === null ? null : `${token}.1`);
        for (const [line, reason] of second) first.set(line + middle, reason);
        return first;
      }
      throw error;
    }
  }

  /**
   * Settings travel inside the statement, not as client settings: the embedded engine's connection turns client
   * settings into session SETs that would stick to every later insert (a token that sticks drops real rows).
   */
  private async insertText(stream: WriterStream<unknown>, body: string, token: string | null): Promise<void> {
    const deduplication =
      token === null
        ? 'insert_deduplicate = 0, deduplicate_blocks_in_dependent_materialized_views = 0, '
        : `insert_deduplicate = 1, insert_deduplication_token = '${token}', deduplicate_blocks_in_dependent_materialized_views = 1, `;
    const query =
      `INSERT INTO ${stream.table} (${stream.columns.join(', ')}) ` +
      `SETTINGS ${deduplication}` +
      // Into a Distributed table (a sharded cluster): written to the shards before the answer, token included.
      'distributed_foreground_insert = 1 ' +
      'FORMAT JSONCompactEachRow';
    const result = await this.client.exec({ query, values: Readable.from([body]) });
    // Read to the end so an HTTP connection goes back to the pool.
    for await (const _chunk of result.stream) void _chunk;
  }

  private planChunks(lines: string[], body: string): number[] {
    const maxBytes = this.options.maxInsertBytes ?? 8 * 1024 * 1024;
    // The common case, one insert: the whole body fits (a UTF-8 byte count is at most 3x the UTF-16 length, and
    // counting the bytes exactly is only worth it when that bound says it might not fit).
    if (lines.length === 0) return [];
    if (body.length * 3 <= maxBytes || Buffer.byteLength(body) <= maxBytes) return [lines.length];
    const chunks: number[] = [];
    let rows = 0;
    let bytes = 0;
    for (const line of lines) {
      const size = Buffer.byteLength(line) + 1;
      if (rows > 0 && bytes + size > maxBytes) {
        chunks.push(rows);
        rows = 0;
        bytes = 0;
      }
      rows += 1;
      bytes += size;
    }
    if (rows > 0) chunks.push(rows);
    return chunks;
  }

  private toLogEntry(batch: PreparedBatch): WalBatch {
    // Keys serve only a replay that drops keys stored since (a server); an exact replay needs the rows alone.
    const keys = this.options.exactReplay ? [] : batch.keys;
    return { token: batch.token, stream: batch.stream.definition.name, chunks: batch.chunks, keys, body: batch.body };
  }

  /** A logged batch as it must be replayed (see point 4 of the argument above). */
  private async batchFromLog(stream: StreamState, logged: WalBatch): Promise<PreparedBatch> {
    const lines = logged.body.length > 0 ? logged.body.split('\n') : [];
    const batch: PreparedBatch = {
      token: logged.token,
      stream,
      writes: [],
      outcomes: [],
      lines,
      body: logged.body,
      keys: logged.keys,
      origins: [],
      chunks: logged.chunks,
      claimed: [],
    };
    const deduplication = stream.definition.deduplication;
    if (this.options.exactReplay || !deduplication) return batch;
    const uniqueKeys = [...new Set(logged.keys)];
    if (deduplication.claim !== false) batch.claimed = await this.claimAll(stream, uniqueKeys, logged.token);
    const stored = await this.withRetry(() => deduplication.findStoredKeys(uniqueKeys));
    if (stored.size === 0) return batch;
    // Some keys were stored since: whatever this batch had was never partly applied on a server, so the rest is new
    // data with a token of its own.
    const keep = lines.map((_line, index) => !stored.has(logged.keys[index]));
    batch.lines = lines.filter((_line, index) => keep[index]);
    batch.keys = logged.keys.filter((_key, index) => keep[index]);
    batch.token = `${logged.token}:r`;
    batch.body = batch.lines.join('\n');
    batch.chunks = this.planChunks(batch.lines, batch.body);
    return batch;
  }

  private async releaseClaims(batch: PreparedBatch): Promise<void> {
    if (batch.claimed.length === 0) return;
    const keys = batch.claimed;
    batch.claimed = [];
    await this.claims.release(keys, batch.token).catch((error: unknown) => {
      // A claim that is not released lapses with its lease.
      this.onBackgroundError(`releasing ${keys.length} claims failed: ${describe(error)}`);
    });
  }

  private async renewClaims(): Promise<void> {
    for (const batch of [...this.inFlight, ...this.stalled]) {
      if (batch.claimed.length === 0) continue;
      await this.claims.renew(batch.claimed, batch.token, this.leaseMs).catch((error: unknown) => {
        this.onBackgroundError(`renewing claims of batch ${batch.token} failed: ${describe(error)}`);
      });
    }
  }

  private fail(stream: StreamState, writes: PendingWrite<unknown>[], error: unknown): void {
    this.metrics?.failedBatches.inc({ table: stream.definition.table });
    for (const write of writes) write.reject(error);
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const baseDelayMs = this.options.retryBaseDelayMs ?? 100;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (attempt >= maxAttempts || classifyInsertFailure(error) !== 'unavailable') throw error;
        this.metrics?.retries.inc();
        await sleep(baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0].slice(0, 300) : String(error);
}

/** A logged JSONCompactEachRow line as an object keyed by column name. */
function rowOfLine(columns: string[], line: string): Record<string, unknown> {
  const values = JSON.parse(line) as unknown[];
  return Object.fromEntries(columns.map((column, index) => [column, values[index]]));
}
