import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { inflateOtlpBody, otlpEncodingOf } from '../../../../server/src/modules/ingest/otlp/otlp-body';

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('OTLP body', () => {
  it('tells the encoding from the Content-Type, parameters and case aside', () => {
    expect(otlpEncodingOf('application/json')).toBe('json');
    expect(otlpEncodingOf('Application/JSON; charset=utf-8')).toBe('json');
    expect(otlpEncodingOf('application/x-protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('application/protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('text/plain')).toBeNull();
    expect(otlpEncodingOf(undefined)).toBeNull();
  });

  it('gunzips, and passes an identity body through', async () => {
    const text = Buffer.from('{"resourceSpans":[]}');
    expect(await inflateOtlpBody(zlib.gzipSync(text), 'gzip', 1000)).toEqual(text);
    expect(await inflateOtlpBody(text, undefined, 1000)).toEqual(text);
    expect(await inflateOtlpBody(text, 'identity', 1000)).toEqual(text);
  });

  it('refuses a body over the limit after decompression, a bad gzip, an unknown encoding', async () => {
    // 10 MB of zeros gzip to about 10 kB: the limit must hold on what comes out.
    const bomb = zlib.gzipSync(Buffer.alloc(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    const tooLarge = await refusal(inflateOtlpBody(bomb, 'gzip', 1_000_000));
    expect(tooLarge.code).toBe(ErrorCode.PayloadTooLarge);
    expect(tooLarge.message).toBe('Body exceeds 1000000 bytes (after decompression): export smaller batches');
    expect((await refusal(inflateOtlpBody(Buffer.alloc(2000), 'identity', 1000))).code).toBe(ErrorCode.PayloadTooLarge);
    const corrupt = await refusal(inflateOtlpBody(Buffer.from('not gzip'), 'gzip', 1000));
    expect(corrupt.code).toBe(ErrorCode.MalformedPayload);
    expect(corrupt.message).toMatch(/^Could not gunzip the body/);
    expect((await refusal(inflateOtlpBody(Buffer.from('x'), 'br', 1000))).message).toBe('Unsupported Content-Encoding "br": send identity or gzip');
  });
});
