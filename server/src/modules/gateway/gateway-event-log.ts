import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ClickhouseBatchWriter } from '../../engine/clickhouse/clickhouse-batch-writer';
import type { WardenConfig } from '../../engine/config/config';
import { takeProcessSlot, type ProcessSlot } from '../../engine/data-dir/process-slot';
import { CONFIG } from '../../engine/engine.module';
import { IngestService, type SpanRequestEvent } from '../ingest/ingest.service';
import { DecisionService } from '../policies/decision.service';
import type { PolicyDecisionRow } from '../policies/decisions/policy-decision-row';
import { FileSpool, NdjsonFile, RedisSpool, type SpooledEvent, type SpoolStore } from './gateway-spool';

/** How often the spool is tried again while it holds events. */
const DRAIN_INTERVAL_MS = 1_000;
/** Events taken from a spool at a time when draining. */
const DRAIN_CHUNK = 1_000;
/**
 * Events per ingest call. Each call is one insert (a part in every table and rollup it fills, and a lookup of stored
 * ids), and the calls run one after another: at 1,000 a call, a second of 2,500 requests cost three inserts. One call
 * holds every request of a second up to this many.
 */
const INGEST_CHUNK = 5_000;
/**
 * How often the journal is handed over: its request events to ingest, its decision rows to the writer. Each
 * hand-over is one write per table, so one insert: an insert costs ClickHouse a part per table and view (and the
 * merges after) whatever its size, which at one request at a time had cost more CPU than serving the requests.
 * Measured at one connection: every 250 ms, ClickHouse's threads took 38% of a core and the gateway answered
 * 1,040–1,160 requests/s; every second, 12–16% and 1,160–1,350.
 */
const WRITE_INTERVAL_MS = 1_000;
/** How often the journal is synced to disk (a crash of the process loses nothing either way; this bounds a power cut). */
const SYNC_INTERVAL_MS = 250;

/** A line of the journal: a served request's event, or the row of the decision that admitted or refused it. */
type JournalEntry = { apiKeyId: string; event: Record<string, unknown> } | { decision: PolicyDecisionRow };

/**
 * Every request the gateway served, logged once through the ingest path (priced, policy applied to content, written
 * by the exactly-once writer; the request id is the event id), with its policy decision.
 *
 * Both go first to the journal: a file in this process's slot under DATA_DIR, written in the turn of the event loop
 * in which the answer ended (one write for all recorded in it), so a crash of the process loses none of them; it is
 * synced to disk every SYNC_INTERVAL_MS and at every hand-over. Every WRITE_INTERVAL_MS the journal is handed over and its file deleted once that is
 * done. A journal a stopped process left is handed over by the next start: events count once by id, decision rows
 * are looked up first.
 *
 * Events ClickHouse cannot take now move from the journal to the spool (a Redis stream with REDIS_URL, shared by
 * every server; else a synced file under DATA_DIR; the file also when Redis fails) and are written again until
 * stored. Decision rows never need that: once handed over, the writer keeps them until stored.
 */
@Injectable()
export class GatewayEventLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Gateway');
  private readonly journalSlot: ProcessSlot;
  private readonly journal: NdjsonFile<JournalEntry>;
  /**
   * Journal files that may have been handed over already, whole or in part: those a stopped process left, and those
   * whose hand-over failed here. Their decision rows are looked up before they are written.
   */
  private readonly possiblyHandedOver: Set<string>;
  private writerRecovered = false;
  private readonly fileSpool: FileSpool;
  private readonly redisSpool: RedisSpool | null;
  /** Recorded, not yet in the journal. */
  private pending: JournalEntry[] = [];
  private appendScheduled = false;
  private writeTimer?: NodeJS.Timeout;
  private syncTimer?: NodeJS.Timeout;
  private writing: Promise<void> | null = null;
  private timer?: NodeJS.Timeout;
  private draining: Promise<void> | null = null;
  private spooledSinceStart = 0;
  private readonly spooled: Counter;
  private readonly spoolSize: Gauge;

  constructor(
    private readonly ingest: IngestService,
    private readonly decisions: DecisionService,
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CONFIG) config: WardenConfig,
    registry: Registry,
  ) {
    // This process's own directory: with several processes on one DATA_DIR, none reads a journal another appends to.
    this.journalSlot = takeProcessSlot(path.join(config.dataDir, 'gateway-journal'));
    this.journal = new NdjsonFile<JournalEntry>(this.journalSlot.directory);
    this.possiblyHandedOver = new Set(this.journal.sealNow());
    this.fileSpool = new FileSpool(path.join(config.dataDir, 'gateway-spool'));
    this.redisSpool = config.redisUrl ? new RedisSpool(config.redisUrl, spoolNamespace(config)) : null;
    this.spooled = new Counter({ name: 'warden_gateway_spooled_events_total', help: 'Gateway events kept in the spool while ClickHouse was unavailable', registers: [registry] });
    this.spoolSize = new Gauge({ name: 'warden_gateway_spool_events', help: 'Gateway events waiting in the spool (as of the last drain)', registers: [registry] });
  }

  onModuleInit(): void {
    void this.writer.recovered.then(() => (this.writerRecovered = true));
    this.writeTimer = setInterval(() => void this.writeJournal(), WRITE_INTERVAL_MS);
    this.writeTimer.unref();
    this.syncTimer = setInterval(() => {
      this.journal.sync().catch((error: unknown) => this.logger.error(`gateway journal not synced: ${error instanceof Error ? error.message : String(error)}`));
    }, SYNC_INTERVAL_MS);
    this.syncTimer.unref();
    this.timer = setInterval(() => void this.drain(), DRAIN_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.writeTimer) clearInterval(this.writeTimer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.timer) clearInterval(this.timer);
    await this.settled();
    await this.redisSpool?.close();
    await this.journal.close();
    await this.fileSpool.close();
    this.journalSlot.release();
  }

  /** Queues a served request's event. Never throws, never waits. */
  record(apiKeyId: string, event: SpanRequestEvent): void {
    this.enqueue({ apiKeyId, event: serialize(event) });
  }

  /** Queues a decision's row (DecisionContext.recordWith). Never throws, never waits. */
  recordDecision(row: PolicyDecisionRow): void {
    this.enqueue({ decision: row });
  }

  /** Resolves when everything recorded so far is stored or spooled (tests, shutdown). */
  async settled(): Promise<void> {
    this.appendPending();
    // A pass already under way sealed the journal before the latest entries: the second pass takes them.
    await this.writeJournal();
    await this.writeJournal();
  }

  /** Events waiting in the spools. */
  async spoolSizeNow(): Promise<number> {
    const redis = this.redisSpool ? await this.redisSpool.size().catch(() => 0) : 0;
    return redis + (await this.fileSpool.size());
  }

  /** Writes what the spools hold; one drain at a time. Resolves when this pass is over. */
  drain(): Promise<void> {
    this.draining ??= this.drainOnce().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private enqueue(entry: JournalEntry): void {
    this.pending.push(entry);
    if (!this.appendScheduled) {
      this.appendScheduled = true;
      setImmediate(() => this.appendPending());
    }
  }

  /** Everything recorded in this turn of the event loop, in one write. */
  private appendPending(): void {
    this.appendScheduled = false;
    if (this.pending.length === 0) return;
    const entries = this.pending;
    this.pending = [];
    try {
      this.journal.appendNow(entries);
    } catch (error) {
      // Not in the journal: hand them over now rather than hold them in memory.
      this.logger.error(`gateway journal append failed (${error instanceof Error ? error.message : String(error)}): ${entries.length} entries handed over directly`);
      this.handOver(entries, false).catch((failure: unknown) => {
        this.logger.error(`${entries.length} gateway journal entries could be neither journaled, stored nor spooled: ${failure instanceof Error ? failure.message : String(failure)}`);
      });
    }
  }

  /** Hands what the journal holds over; one pass at a time. */
  private writeJournal(): Promise<void> {
    this.writing ??= this.writeJournalOnce().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async writeJournalOnce(): Promise<void> {
    try {
      await this.journal.sync();
      // What the journal holds now, and no more: entries appended meanwhile wait for the next pass, so hand-overs stay
      // WRITE_INTERVAL_MS apart under any load.
      for (const file of await this.journal.seal()) {
        const { entries, remove } = await this.journal.read(file);
        const resent = this.possiblyHandedOver.has(file);
        // Only once a stopped process's batches still in the write-ahead log are replayed, so the lookups see them;
        // a process that never replays the log (a CLI) leaves such files to the next server.
        if (resent && !this.writerRecovered) continue;
        this.possiblyHandedOver.add(file);
        await this.handOver(entries, resent);
        await remove();
        this.possiblyHandedOver.delete(file);
      }
    } catch (error) {
      // The journal file stays for the next pass.
      this.logger.error(`gateway journal not handed over: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Decision rows to the writer (which keeps them until stored), events to ingest or else the spool. Throws only
   * when the events could be neither stored nor spooled. `resent`: the entries may have been handed over before.
   */
  private async handOver(entries: JournalEntry[], resent: boolean): Promise<void> {
    const rows: PolicyDecisionRow[] = [];
    const events: SpooledEvent[] = [];
    for (const entry of entries) {
      if ('decision' in entry) rows.push(entry.decision);
      else events.push(entry);
    }
    await Promise.all([rows.length > 0 ? this.decisions.storeDecisionRows(rows, { resent }) : undefined, events.length > 0 ? this.storeOrSpool(events) : undefined]);
  }

  private async storeOrSpool(events: SpooledEvent[]): Promise<void> {
    try {
      await this.writeSpooled(events);
    } catch (error) {
      this.logSpooling(error);
      await this.spool(events);
    }
  }

  private lastSpoolLog = 0;

  /** Why events go to the spool, at most once every ten seconds. */
  private logSpooling(error: unknown): void {
    const now = Date.now();
    if (now - this.lastSpoolLog < 10_000) return;
    this.lastSpoolLog = now;
    this.logger.error(`gateway events spooled until ClickHouse takes them: ${error instanceof Error ? error.message : String(error)}`);
  }

  private async spool(events: SpooledEvent[]): Promise<void> {
    this.spooled.inc(events.length);
    this.spooledSinceStart += events.length;
    if (this.redisSpool) {
      try {
        await this.redisSpool.append(events);
        return;
      } catch (error) {
        this.logger.error(`Redis spool unavailable (${error instanceof Error ? error.message : String(error)}): gateway events kept in the file spool`);
      }
    }
    await this.fileSpool.append(events);
  }

  private async drainOnce(): Promise<void> {
    for (const store of [this.redisSpool, this.fileSpool] as Array<SpoolStore | null>) {
      if (!store) continue;
      try {
        for (let pass = 0; pass < 100; pass += 1) {
          const taken = await store.take(DRAIN_CHUNK);
          if (!taken) break;
          await this.writeSpooled(taken.events);
          await taken.remove();
        }
      } catch {
        // ClickHouse (or Redis) still away: the events stay where they are for the next pass.
      }
    }
    if (this.spooledSinceStart > 0) this.spoolSize.set(await this.spoolSizeNow());
  }

  private async writeSpooled(events: SpooledEvent[]): Promise<void> {
    const byKey = new Map<string, SpanRequestEvent[]>();
    for (const { apiKeyId, event } of events) {
      const list = byKey.get(apiKeyId) ?? [];
      list.push(deserialize(event));
      byKey.set(apiKeyId, list);
    }
    for (const [apiKeyId, list] of byKey) {
      for (let start = 0; start < list.length; start += INGEST_CHUNK) {
        const answer = await this.ingest.ingestEvents(list.slice(start, start + INGEST_CHUNK), { apiKeyId, source: 'gateway' });
        if (answer.rejected > 0) this.logger.error(`${answer.rejected} gateway event(s) refused by ingest: ${JSON.stringify(answer.results.filter((result) => result.status === 'rejected').slice(0, 3))}`);
      }
    }
  }
}

/** One spool per ClickHouse: its URL and database, or (embedded) its data directory. */
function spoolNamespace(config: WardenConfig): string {
  const store = config.clickhouse.url ? `${config.clickhouse.url}|${config.clickhouse.database}` : `${config.dataDir}|${config.clickhouse.database}`;
  return createHash('sha256').update(store).digest('hex').slice(0, 16);
}

function serialize(event: SpanRequestEvent): Record<string, unknown> {
  return { ...event, timestamp: event.timestamp.toISOString() };
}

function deserialize(event: Record<string, unknown>): SpanRequestEvent {
  return { ...(event as unknown as SpanRequestEvent), timestamp: new Date(String(event.timestamp)) };
}
