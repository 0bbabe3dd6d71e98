import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';

const gunzip = promisify(zlib.gunzip);

/** The two OTLP/HTTP payload encodings; a response goes back in the one the request came in. */
export type OtlpEncoding = 'json' | 'protobuf';

export const otlpContentTypes: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** The encoding a Content-Type names, or null for one OTLP does not define (answer 415). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | null {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return null;
}

/**
 * The body as the exporter meant it: gunzipped when sent with Content-Encoding gzip, refused once it passes maxBytes
 * (after decompression, as the OTLP specification asks, so a small gzip bomb cannot fill memory).
 */
export async function inflateOtlpBody(body: Uint8Array, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase() || 'identity';
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (encoding === 'identity') {
    if (buffer.length > maxBytes) throw tooLarge(maxBytes);
    return buffer;
  }
  if (encoding !== 'gzip') {
    throw new DomainError(ErrorCode.MalformedPayload, `Unsupported Content-Encoding "${encoding}": send identity or gzip`);
  }
  try {
    return await gunzip(buffer, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new DomainError(ErrorCode.MalformedPayload, `Could not gunzip the body: ${(error as Error).message}`);
  }
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCode.PayloadTooLarge, `Body exceeds ${maxBytes} bytes (after decompression): export smaller batches`);
}
