import * as fs from 'node:fs';
import * as path from 'node:path';
import { Redis } from 'ioredis';

/** One gateway event, as kept in the spool: JSON text, the API key it came with alongside. */
export interface SpooledEvent {
  apiKeyId: string;
  /** The request event with its timestamp as ISO text. */
  event: Record<string, unknown>;
}

/** Where events wait while ClickHouse is away: a Redis stream (shared) or an append-only file (this DATA_DIR). */
export interface SpoolStore {
  readonly kind: 'redis' | 'file';
  append(events: SpooledEvent[]): Promise<void>;
  /** Up to `limit` of the oldest events, with a receipt that removes exactly them once stored. */
  take(limit: number): Promise<{ events: SpooledEvent[]; remove(): Promise<void> } | null>;
  size(): Promise<number>;
  close(): Promise<void>;
}


/** A Redis stream: XADD to append, XRANGE to read the oldest, XDEL once stored (several servers may drain it). */
export class RedisSpool implements SpoolStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly streamKey: string;

  /** One stream per ClickHouse: servers sharing a Redis but not a ClickHouse never drain each other's. */
  constructor(url: string, namespace: string) {
    this.streamKey = `warden:gateway:spool:${namespace}`;
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
  }

  async append(events: SpooledEvent[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const event of events) pipeline.xadd(this.streamKey, '*', 'e', JSON.stringify(event));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis did not answer the spool append');
  }

  async take(limit: number): Promise<{ events: SpooledEvent[]; remove(): Promise<void> } | null> {
    const entries = await this.redis.xrange(this.streamKey, '-', '+', 'COUNT', limit);
    if (entries.length === 0) return null;
    const events = entries.map(([, fields]) => JSON.parse(fields[1]) as SpooledEvent);
    return {
      events,
      remove: async () => {
        await this.redis.xdel(this.streamKey, ...entries.map(([id]) => id));
      },
    };
  }

  size(): Promise<number> {
    return this.redis.xlen(this.streamKey);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/**
 * An append-only NDJSON file under DATA_DIR, each append synced to disk. Draining renames the file first (appends
 * then start a new one), reads it, and deletes it once every event in it is stored.
 */
export class FileSpool implements SpoolStore {
  readonly kind = 'file' as const;
  private readonly current: string;
  private appending: Promise<void> = Promise.resolve();

  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
    this.current = path.join(directory, 'events.ndjson');
  }

  append(events: SpooledEvent[]): Promise<void> {
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const write = this.appending.then(async () => {
      const handle = await fs.promises.open(this.current, 'a');
      try {
        await handle.appendFile(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    });
    this.appending = write.catch(() => undefined);
    return write;
  }

  async take(): Promise<{ events: SpooledEvent[]; remove(): Promise<void> } | null> {
    await this.appending;
    let draining = this.drainingFiles()[0];
    if (!draining) {
      if (!fs.existsSync(this.current) || fs.statSync(this.current).size === 0) return null;
      draining = path.join(this.directory, `draining-${Date.now()}-${process.pid}.ndjson`);
      fs.renameSync(this.current, draining);
    }
    const text = await fs.promises.readFile(draining, 'utf8');
    // A line cut short by a crash mid-append is the only one that can fail to parse: skipped.
    const events = text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as SpooledEvent];
      } catch {
        return [];
      }
    });
    return { events, remove: async () => fs.promises.rm(draining, { force: true }) };
  }

  async size(): Promise<number> {
    let count = 0;
    for (const file of [...this.drainingFiles(), this.current]) {
      if (!fs.existsSync(file)) continue;
      count += fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
    }
    return count;
  }

  async close(): Promise<void> {
    await this.appending;
  }

  private drainingFiles(): string[] {
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.startsWith('draining-'))
      .sort()
      .map((name) => path.join(this.directory, name));
  }
}
