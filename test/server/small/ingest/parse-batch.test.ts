import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { parseBatch } from '../../../../server/src/engine/http/request-body';

function refusal(body: string, contentType = 'application/json'): DomainError {
  try {
    parseBatch(body, contentType);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`parseBatch accepted ${JSON.stringify(body)}`);
}

describe('parseBatch', () => {
  it('reads a JSON array as one item per element', () => {
    expect(parseBatch('[{"id":"a"}, {"id":"b"}, 3]', 'application/json')).toEqual([
      { value: { id: 'a' } },
      { value: { id: 'b' } },
      { value: 3 },
    ]);
    expect(parseBatch('  []  ', 'application/json')).toEqual([]);
  });

  it('refuses a malformed JSON array whole', () => {
    const error = refusal('[{"id": ');
    expect(error.code).toBe(ErrorCode.MalformedPayload);
    expect(error.message).toMatch(/^Malformed JSON/);
  });

  it('refuses an empty body', () => {
    expect(refusal('   \n ').message).toMatch(/Empty body/);
  });

  it('reads NDJSON with a bad line as one bad item, skipping blank lines', () => {
    const items = parseBatch('{"id":"a"}\n\n{broken\n{"id":"c"}\n', 'application/x-ndjson');
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ value: { id: 'a' } });
    expect(items[1]).toMatchObject({ parseError: expect.stringMatching(/^line 2 is not valid JSON/) });
    expect(items[2]).toEqual({ value: { id: 'c' } });
  });

  it('reads a single object as NDJSON of one line, whatever the content type', () => {
    expect(parseBatch('{"id":"only"}', 'application/json')).toEqual([{ value: { id: 'only' } }]);
  });

  it('reads array lines as NDJSON when the content type says NDJSON', () => {
    expect(parseBatch('[1]\n[2]', 'application/x-ndjson')).toEqual([{ value: [1] }, { value: [2] }]);
    expect(parseBatch('[1]\n[2]', 'application/jsonlines')).toEqual([{ value: [1] }, { value: [2] }]);
  });
});
