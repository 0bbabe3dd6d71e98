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
 * An append-only NDJSON file under DATA_DIR. Sealing renames the file appended to (appends then start a new one),
 * so a sealed file is read whole and deleted once its caller is done with every entry in it. Appends and seals take
 * turns, so no append ever writes into a sealed file.
 */
export class NdjsonFile<Entry> {
  private readonly current: string;
  private appending: Promise<void> = Promise.resolve();
  private sealed = 0;
  /** The current file, open for `appendNow`. */
  private descriptor: number | null = null;

  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
    this.current = path.join(directory, 'events.ndjson');
  }

  /** Appends and resolves once the entries are on disk. */
  append(entries: Entry[]): Promise<void> {
    const text = toLines(entries);
    return this.inTurn(async () => {
      const handle = await fs.promises.open(this.current, 'a');
      try {
        await handle.appendFile(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    });
  }

  /**
   * Appends at once, into the operating system's cache: kept if this process crashes, on disk after the next `sync`.
   * A write of a few hundred bytes, cheaper than a trip through the thread pool.
   */
  appendNow(entries: Entry[]): void {
    const bytes = Buffer.from(toLines(entries), 'utf8');
    this.descriptor ??= fs.openSync(this.current, 'a');
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.descriptor, bytes, written);
  }

  /** Puts what `appendNow` wrote so far on disk. */
  sync(): Promise<void> {
    return this.inTurn(async () => {
      const descriptor = this.descriptor;
      if (descriptor === null) return;
      await new Promise<void>((resolve, reject) => fs.fdatasync(descriptor, (error) => (error ? reject(error) : resolve())));
    });
  }

  /** Seals the file appended to; every sealed file not yet removed, oldest first. */
  seal(): Promise<string[]> {
    return this.inTurn(() => this.sealNow());
  }

  /** `seal` for a caller that knows no append is under way (before the first one): what a stopped process left. */
  sealNow(): string[] {
    this.closeDescriptor();
    if (fs.existsSync(this.current) && fs.statSync(this.current).size > 0) {
      fs.renameSync(this.current, path.join(this.directory, `draining-${Date.now()}-${process.pid}-${this.sealed++}.ndjson`));
    }
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.startsWith('draining-'))
      .sort()
      .map((name) => path.join(this.directory, name));
  }

  /** A sealed file's entries, with the removal of the file once its caller is done with them. */
  async read(file: string): Promise<{ entries: Entry[]; remove(): Promise<void> }> {
    const text = await fs.promises.readFile(file, 'utf8');
    // A line cut short by a crash mid-append is the only one that can fail to parse: skipped.
    const entries = text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as Entry];
      } catch {
        return [];
      }
    });
    return { entries, remove: async () => fs.promises.rm(file, { force: true }) };
  }

  /** The oldest sealed file not yet removed, else what was appended so far; null when there is nothing. */
  async take(): Promise<{ entries: Entry[]; remove(): Promise<void> } | null> {
    const oldest = (await this.seal())[0];
    return oldest ? this.read(oldest) : null;
  }

  async size(): Promise<number> {
    const files = fs
      .readdirSync(this.directory)
      .filter((name) => name.startsWith('draining-') || name === 'events.ndjson')
      .map((name) => path.join(this.directory, name));
    let count = 0;
    for (const file of files) count += fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
    return count;
  }

  async close(): Promise<void> {
    await this.appending;
    this.closeDescriptor();
  }

  private closeDescriptor(): void {
    if (this.descriptor !== null) fs.closeSync(this.descriptor);
    this.descriptor = null;
  }

  /** Runs the step after every earlier one of this file; a failed step fails its caller only. */
  private inTurn<T>(step: () => T | Promise<T>): Promise<T> {
    const result = this.appending.then(step);
    this.appending = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

function toLines(entries: unknown[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/** The spool without Redis: an NDJSON file, each append synced to disk. */
export class FileSpool implements SpoolStore {
  readonly kind = 'file' as const;
  private readonly file: NdjsonFile<SpooledEvent>;

  constructor(directory: string) {
    this.file = new NdjsonFile(directory);
  }

  append(events: SpooledEvent[]): Promise<void> {
    return this.file.append(events);
  }

  async take(): Promise<{ events: SpooledEvent[]; remove(): Promise<void> } | null> {
    const taken = await this.file.take();
    return taken && { events: taken.entries, remove: taken.remove };
  }

  size(): Promise<number> {
    return this.file.size();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
