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
  /**
   * The entries of the current file, as appended by this process; null when it does not know them all (the file
   * was there before it, or an append failed part-way). Sealed files keep theirs in `remembered` until removed, so
   * reading back what this process wrote does not parse it again (about 3% of the gateway's main thread).
   */
  private appended: Entry[] | null;
  private readonly remembered = new Map<string, Entry[]>();
  private rememberedCount = 0;

  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
    this.current = path.join(directory, 'events.ndjson');
    const size = fs.existsSync(this.current) ? fs.statSync(this.current).size : 0;
    this.appended = size > 0 ? null : [];
    if (size > 0) endTornLine(this.current, size);
  }

  /** Appends and resolves once the entries are on disk. */
  append(entries: Entry[]): Promise<void> {
    const text = toLines(entries);
    return this.inTurn(async () => {
      const handle = await fs.promises.open(this.current, 'a');
      try {
        try {
          await handle.appendFile(text);
        } catch (error) {
          this.appended = null;
          throw error;
        }
        this.remember(entries);
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
    try {
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.descriptor, bytes, written);
    } catch (error) {
      this.appended = null;
      throw error;
    }
    this.remember(entries);
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
      const sealed = path.join(this.directory, `draining-${Date.now()}-${process.pid}-${this.sealed++}.ndjson`);
      fs.renameSync(this.current, sealed);
      // Bounded: past this many, sealed files are read back from disk (a long outage of ClickHouse and the spool).
      if (this.appended && this.rememberedCount + this.appended.length <= MAX_REMEMBERED_ENTRIES) {
        this.remembered.set(sealed, this.appended);
        this.rememberedCount += this.appended.length;
      }
    }
    this.appended = [];
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.startsWith('draining-'))
      .sort()
      .map((name) => path.join(this.directory, name));
  }

  /** A sealed file's entries, with the removal of the file once its caller is done with them. */
  async read(file: string): Promise<{ entries: Entry[]; remove(): Promise<void> }> {
    const remove = async () => {
      await fs.promises.rm(file, { force: true });
      const entries = this.remembered.get(file);
      if (entries) this.rememberedCount -= entries.length;
      this.remembered.delete(file);
    };
    const remembered = this.remembered.get(file);
    if (remembered) return { entries: remembered, remove };
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
    return { entries, remove };
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

  private remember(entries: Entry[]): void {
    if (this.appended) for (const entry of entries) this.appended.push(entry);
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

/**
 * A file a crash left with a line cut short gets its line ended, so the next append starts a line of its own
 * instead of being glued to the torn one (and lost with it when read).
 */
function endTornLine(file: string, size: number): void {
  const descriptor = fs.openSync(file, 'r+');
  try {
    const last = Buffer.alloc(1);
    fs.readSync(descriptor, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) fs.writeSync(descriptor, '\n', size);
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Entries of sealed files kept in memory at most, across them all. */
const MAX_REMEMBERED_ENTRIES = 200_000;

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
