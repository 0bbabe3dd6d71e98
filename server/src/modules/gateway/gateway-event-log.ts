import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { IngestService, type SpanRequestEvent } from '../ingest/ingest.service';
import { FileSpool, RedisSpool, type SpooledEvent, type SpoolStore } from './gateway-spool';

/** How often the spool is tried again while it holds events. */
const DRAIN_INTERVAL_MS = 1_000;
/** Events per ingest call when draining. */
const DRAIN_CHUNK = 1_000;

/**
 * Every request the gateway served, logged once through the ingest path (priced, policy applied to content, written
 * by the exactly-once writer; the request id is the event id). Events of one tick go as one call per API key. What
 * ClickHouse cannot take now waits in the spool (a Redis stream with REDIS_URL, else a synced file under DATA_DIR;
 * the file also when Redis fails) and is written again until stored: a re-send of a stored id counts once.
 */
@Injectable()
export class GatewayEventLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Gateway');
  private readonly fileSpool: FileSpool;
  private readonly redisSpool: RedisSpool | null;
  private pending: Array<{ apiKeyId: string; event: SpanRequestEvent }> = [];
  private flushScheduled = false;
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private draining: Promise<void> | null = null;
  private spooledSinceStart = 0;
  private readonly spooled: Counter;
  private readonly spoolSize: Gauge;

  constructor(
    private readonly ingest: IngestService,
    @Inject(CONFIG) config: WardenConfig,
    registry: Registry,
  ) {
    this.fileSpool = new FileSpool(path.join(config.dataDir, 'gateway-spool'));
    this.redisSpool = config.redisUrl ? new RedisSpool(config.redisUrl, spoolNamespace(config)) : null;
    this.spooled = new Counter({ name: 'warden_gateway_spooled_events_total', help: 'Gateway events kept in the spool while ClickHouse was unavailable', registers: [registry] });
    this.spoolSize = new Gauge({ name: 'warden_gateway_spool_events', help: 'Gateway events waiting in the spool (as of the last drain)', registers: [registry] });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.drain(), DRAIN_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    await this.settled();
    await this.redisSpool?.close();
    await this.fileSpool.close();
  }

  /** Queues one event; written with the others of this tick. Never throws, never waits. */
  record(apiKeyId: string, event: SpanRequestEvent): void {
    this.pending.push({ apiKeyId, event });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves when every event recorded so far is stored or spooled (tests, shutdown). */
  async settled(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
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

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const byKey = new Map<string, SpanRequestEvent[]>();
    for (const { apiKeyId, event } of batch) {
      const events = byKey.get(apiKeyId);
      if (events) events.push(event);
      else byKey.set(apiKeyId, [event]);
    }
    for (const [apiKeyId, events] of byKey) {
      const write: Promise<void> = this.ingest
        .ingestEvents(events, { apiKeyId, source: 'gateway' })
        .then((answer) => {
          if (answer.rejected > 0) this.logger.error(`${answer.rejected} gateway event(s) refused by ingest: ${JSON.stringify(answer.results.filter((result) => result.status === 'rejected').slice(0, 3))}`);
        })
        .catch((error: unknown) => {
          this.logSpooling(error);
          return this.spool(events.map((event) => ({ apiKeyId, event: serialize(event) })));
        })
        .finally(() => this.inFlight.delete(write));
      this.inFlight.add(write);
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
    try {
      await this.fileSpool.append(events);
    } catch (error) {
      this.logger.error(`${events.length} gateway event(s) could not be spooled: ${error instanceof Error ? error.message : String(error)}`);
    }
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
      for (let start = 0; start < list.length; start += DRAIN_CHUNK) {
        await this.ingest.ingestEvents(list.slice(start, start + DRAIN_CHUNK), { apiKeyId, source: 'gateway' });
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
