import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { takeProcessSlot, type ProcessSlot } from '../data-dir/process-slot';

/** One batch as the writer will insert it: replaying it with the same tokens can only complete it, never repeat it. */
export interface WalBatch {
  /** The batch's insert deduplication token; chunk i is inserted with `${token}/${i}`. */
  token: string;
  /** The writer stream the batch belongs to (its table, format and deduplication). */
  stream: string;
  /** Rows per insert chunk, in order. */
  chunks: number[];
  /** The deduplication key of each row ('' for streams without keys), aligned with the body's lines. */
  keys: string[];
  /** The rows as the insert format's lines, joined with '\n'. */
  body: string;
}

interface RecordHeader {
  kind: 'batch' | 'done';
  token: string;
  stream?: string;
  chunks?: number[];
  keys?: string[];
}

const segmentBytes = 64 * 1024 * 1024;
const segmentPattern = /^segment-(\d{8})\.log$/;

/**
 * The writer's log of batches between "about to insert" and "inserted", in DATA_DIR. A batch is appended (and
 * fsynced) before its first insert attempt and marked done after its rows are stored; a process that stops in
 * between finds it here on its next start and replays it with the same deduplication tokens. Each process takes
 * a slot of its own (a lock file holding its pid), so processes sharing a DATA_DIR never replay each other's
 * batches while they run; a slot whose process is gone is taken over with its pending batches.
 *
 * Records: [u32 header bytes][u32 body bytes][u32 crc32 of both][header JSON][body]. A torn record at the end (a
 * crash mid-append) fails its length or checksum and is ignored: its batch was never inserted.
 */
export class WriteAheadLog {
  private appending: Promise<void> = Promise.resolve();
  private handle: fs.promises.FileHandle | null = null;
  private segmentNumber: number;
  private segmentSize = 0;
  /** Tokens not yet done, per segment number: a segment is deleted once it holds none and is not being written. */
  private readonly liveTokens = new Map<number, Set<string>>();
  private readonly segmentOfToken = new Map<string, number>();
  private closed = false;

  private constructor(
    private readonly slot: ProcessSlot,
    private readonly recovered: WalBatch[],
    lastSegment: number,
  ) {
    this.segmentNumber = lastSegment + 1;
  }

  get directory(): string {
    return this.slot.directory;
  }

  /** Opens the first free slot under `root` and reads the batches it left pending. */
  static open(root: string): WriteAheadLog {
    const slot = takeProcessSlot(root);
    const { pending, liveBySegment, lastSegment } = readSegments(slot.directory);
    const log = new WriteAheadLog(slot, pending, lastSegment);
    for (const [segment, tokens] of liveBySegment) {
      log.liveTokens.set(segment, tokens);
      for (const token of tokens) log.segmentOfToken.set(token, segment);
    }
    log.deleteFinishedSegments();
    return log;
  }

  /** Batches an earlier process of this slot appended and never finished, oldest first. */
  pendingBatches(): WalBatch[] {
    return this.recovered;
  }

  /** Appends a batch and waits until it is on disk. */
  append(batch: WalBatch): Promise<void> {
    const header: RecordHeader = { kind: 'batch', token: batch.token, stream: batch.stream, chunks: batch.chunks, keys: batch.keys };
    return this.enqueue(header, batch.body, true);
  }

  /** Marks a batch done. Not synced: a done mark lost in a crash only costs a replay that inserts nothing twice. */
  complete(token: string): Promise<void> {
    return this.enqueue({ kind: 'done', token }, '', false);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.appending.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
    this.deleteFinishedSegments();
    this.slot.release();
  }

  private enqueue(header: RecordHeader, body: string, sync: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the write-ahead log is closed'));
    const next = this.appending.then(() => this.write(header, body, sync));
    // A failed append fails its caller; the chain carries on for the next one.
    this.appending = next.catch(() => undefined);
    return next;
  }

  private async write(header: RecordHeader, body: string, sync: boolean): Promise<void> {
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const bodyBytes = Buffer.from(body, 'utf8');
    const prefix = Buffer.alloc(12);
    prefix.writeUInt32BE(headerBytes.length, 0);
    prefix.writeUInt32BE(bodyBytes.length, 4);
    prefix.writeUInt32BE(zlib.crc32(bodyBytes, zlib.crc32(headerBytes)) >>> 0, 8);
    if (!this.handle || this.segmentSize >= segmentBytes) await this.rotate();
    await this.handle!.writev([prefix, headerBytes, bodyBytes]);
    this.segmentSize += prefix.length + headerBytes.length + bodyBytes.length;
    if (sync) await this.handle!.datasync();
    if (header.kind === 'batch') {
      this.liveTokensOf(this.segmentNumber).add(header.token);
      this.segmentOfToken.set(header.token, this.segmentNumber);
    } else {
      const segment = this.segmentOfToken.get(header.token);
      this.segmentOfToken.delete(header.token);
      if (segment !== undefined) this.liveTokens.get(segment)?.delete(header.token);
      this.deleteFinishedSegments();
    }
  }

  private async rotate(): Promise<void> {
    if (this.handle) {
      await this.handle.close();
      this.segmentNumber += 1;
    }
    this.handle = await fs.promises.open(path.join(this.directory, segmentName(this.segmentNumber)), 'a');
    this.segmentSize = 0;
    this.deleteFinishedSegments();
  }

  private liveTokensOf(segment: number): Set<string> {
    let tokens = this.liveTokens.get(segment);
    if (!tokens) {
      tokens = new Set();
      this.liveTokens.set(segment, tokens);
    }
    return tokens;
  }

  /** Deletes every segment other than the one being written whose batches are all done. */
  private deleteFinishedSegments(): void {
    for (const file of fs.readdirSync(this.directory)) {
      const match = segmentPattern.exec(file);
      if (!match) continue;
      const segment = Number(match[1]);
      if (segment === this.segmentNumber && this.handle) continue;
      if ((this.liveTokens.get(segment)?.size ?? 0) > 0) continue;
      fs.rmSync(path.join(this.directory, file), { force: true });
      this.liveTokens.delete(segment);
    }
  }
}

function segmentName(segment: number): string {
  return `segment-${String(segment).padStart(8, '0')}.log`;
}

function readSegments(directory: string): { pending: WalBatch[]; liveBySegment: Map<number, Set<string>>; lastSegment: number } {
  const segments = fs
    .readdirSync(directory)
    .map((file) => segmentPattern.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((first, second) => first - second);
  const batches = new Map<string, { batch: WalBatch; segment: number }>();
  for (const segment of segments) {
    const content = fs.readFileSync(path.join(directory, segmentName(segment)));
    let offset = 0;
    while (offset + 12 <= content.length) {
      const headerLength = content.readUInt32BE(offset);
      const bodyLength = content.readUInt32BE(offset + 4);
      const checksum = content.readUInt32BE(offset + 8);
      const end = offset + 12 + headerLength + bodyLength;
      if (end > content.length) break;
      const headerBytes = content.subarray(offset + 12, offset + 12 + headerLength);
      const bodyBytes = content.subarray(offset + 12 + headerLength, end);
      if ((zlib.crc32(bodyBytes, zlib.crc32(headerBytes)) >>> 0) !== checksum) break;
      const header = JSON.parse(headerBytes.toString('utf8')) as RecordHeader;
      if (header.kind === 'batch') {
        batches.set(header.token, {
          segment,
          batch: { token: header.token, stream: header.stream ?? '', chunks: header.chunks ?? [], keys: header.keys ?? [], body: bodyBytes.toString('utf8') },
        });
      } else {
        batches.delete(header.token);
      }
      offset = end;
    }
  }
  const liveBySegment = new Map<number, Set<string>>();
  for (const { batch, segment } of batches.values()) {
    let tokens = liveBySegment.get(segment);
    if (!tokens) liveBySegment.set(segment, (tokens = new Set()));
    tokens.add(batch.token);
  }
  return { pending: [...batches.values()].map((entry) => entry.batch), liveBySegment, lastSegment: segments.at(-1) ?? 0 };
}
