import * as zlib from 'node:zlib';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';

/** Reads the raw body (gunzipping if sent with Content-Encoding: gzip), refusing it once it passes maxBytes. */
export async function readRequestBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && declared > maxBytes) throw tooLarge(maxBytes);
  let stream: NodeJS.ReadableStream = request;
  if (encoding === 'gzip') stream = request.pipe(zlib.createGunzip());
  else if (encoding !== 'identity') throw new DomainError(ErrorCode.MalformedPayload, `Unsupported Content-Encoding "${encoding}": send identity or gzip`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) {
        request.unpipe();
        request.resume();
        throw tooLarge(maxBytes);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(ErrorCode.MalformedPayload, `Could not read the body: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCode.PayloadTooLarge, `Body exceeds ${maxBytes} bytes (after decompression): send smaller batches`);
}

export type ParsedItem = { value: unknown } | { parseError: string };

/** A JSON array, or NDJSON (one JSON value per line). A malformed array is refused whole; a bad NDJSON line is one bad item. */
export function parseBatch(body: string, contentType: string): ParsedItem[] {
  const trimmed = body.trim();
  if (trimmed.length === 0) throw new DomainError(ErrorCode.MalformedPayload, 'Empty body: send a JSON array or NDJSON of events');
  const looksLikeArray = trimmed.startsWith('[');
  if (looksLikeArray && !/ndjson|jsonlines|x-jsonl/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new DomainError(ErrorCode.MalformedPayload, `Malformed JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new DomainError(ErrorCode.MalformedPayload, 'Expected a JSON array of events');
    return parsed.map((value) => ({ value }));
  }
  return trimmed
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      try {
        return { value: JSON.parse(line) as unknown };
      } catch (error) {
        return { parseError: `line ${index + 1} is not valid JSON: ${(error as Error).message}` };
      }
    });
}

/**
 * Reads the raw body as sent, bytes untouched (no decompression: OTLP decodes protobuf and inflates itself), refusing
 * it before reading when Content-Length passes maxBytes, and as soon as the bytes read do.
 */
export function readRequestBytes(request: Request, maxBytes: number): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(rawTooLarge(maxBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: DomainError) => {
      if (settled) return;
      settled = true;
      request.removeListener('data', onData);
      if (error) {
        // Discard the rest, keeping the connection able to carry the error answer.
        request.resume();
        reject(error);
        return;
      }
      resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(rawTooLarge(maxBytes));
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => finish());
    request.once('error', (error: Error) => finish(new DomainError(ErrorCode.MalformedPayload, `Could not read the body: ${error.message}`)));
    request.once('aborted', () => finish(new DomainError(ErrorCode.MalformedPayload, 'The client closed the connection before the body ended')));
  });
}

function rawTooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCode.PayloadTooLarge, `Body exceeds ${maxBytes} bytes: send smaller batches`);
}
