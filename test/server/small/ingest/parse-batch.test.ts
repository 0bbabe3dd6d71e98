import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { parseBatch, type ParseBatchOptions } from '../../../../server/src/engine/http/request-body';

async function refusal(body: string, contentType = 'application/json', options?: ParseBatchOptions): Promise<DomainError> {
  try {
    await parseBatch(body, contentType, options);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`parseBatch accepted ${JSON.stringify(body)}`);
}

describe('parseBatch', () => {
  it('reads a JSON array as one item per element, each with the line it starts on', async () => {
    expect(await parseBatch('[{"id":"a"}, {"id":"b"}, 3]', 'application/json')).toEqual([
      { value: { id: 'a' }, line: 1 },
      { value: { id: 'b' }, line: 1 },
      { value: 3, line: 1 },
    ]);
    expect(await parseBatch('  []  ', 'application/json')).toEqual([]);
    const pretty = JSON.stringify([{ id: 'a', nested: { list: [1, 2] } }, 'text with "quotes" and \\ and ] and }', null, true, -1.5e3], null, 2);
    expect(await parseBatch(pretty, 'application/json')).toEqual([
      { value: { id: 'a', nested: { list: [1, 2] } }, line: 2 },
      { value: 'text with "quotes" and \\ and ] and }', line: 11 },
      { value: null, line: 12 },
      { value: true, line: 13 },
      { value: -1500, line: 14 },
    ]);
  });

  it('reads a compact array the same whether it is parsed whole (up to 2 MB) or item by item (larger)', async () => {
    const item = { id: 'x', prompt: 'p'.repeat(1000), cut: 'emoji \ud83d', nested: [1, { a: null }] };
    const small = JSON.stringify(Array.from({ length: 10 }, () => item));
    const large = JSON.stringify(Array.from({ length: 3000 }, () => item));
    expect(large.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(await parseBatch(small, 'application/json')).toEqual(Array.from({ length: 10 }, () => ({ value: item, line: 1 })));
    const parsedLarge = await parseBatch(large, 'application/json');
    expect(parsedLarge).toHaveLength(3000);
    expect(parsedLarge[2999]).toEqual({ value: item, line: 1 });
  });

  it('refuses a malformed JSON array whole, saying where', async () => {
    const unterminated = await refusal('[{"id": ');
    expect(unterminated.code).toBe(ErrorCode.MalformedPayload);
    expect(unterminated.message).toMatch(/^Malformed JSON at line 1, column 2: /);
    expect((await refusal('[\n  {"id": "a"},\n  {"id": nope}\n]')).message).toMatch(/^Malformed JSON at line 3, column 3: /);
    expect((await refusal('[1, 2,]')).message).toMatch(/^Malformed JSON at line 1, column 7: /);
    expect((await refusal('[1 2]')).message).toMatch(/^Malformed JSON at line 1, column 4: expected ","/);
    expect((await refusal('[1] [2]')).message).toMatch(/unexpected content after the array/);
    expect((await refusal('[{"a": "\\"]')).message).toMatch(/^Malformed JSON/);
  });

  it('refuses an empty body', async () => {
    expect((await refusal('   \n ')).message).toMatch(/Empty body/);
  });

  it('reads NDJSON with a bad line as one bad item named by its real line number, blank lines counted', async () => {
    const items = await parseBatch('{"id":"a"}\n\n{broken\n\r\n  \n{"id":"c"}\n{also broken\n', 'application/x-ndjson');
    expect(items).toHaveLength(4);
    expect(items[0]).toEqual({ value: { id: 'a' }, line: 1 });
    expect(items[1]).toMatchObject({ parseError: expect.stringMatching(/^line 3 is not valid JSON/), line: 3 });
    expect(items[2]).toEqual({ value: { id: 'c' }, line: 6 });
    expect(items[3]).toMatchObject({ parseError: expect.stringMatching(/^line 7 is not valid JSON/), line: 7 });
  });

  it('reads a single object as NDJSON of one line, whatever the content type', async () => {
    expect(await parseBatch('{"id":"only"}', 'application/json')).toEqual([{ value: { id: 'only' }, line: 1 }]);
  });

  it('reads array lines as NDJSON when the content type says NDJSON', async () => {
    expect(await parseBatch('[1]\n[2]', 'application/x-ndjson')).toEqual([
      { value: [1], line: 1 },
      { value: [2], line: 2 },
    ]);
    expect(await parseBatch('[1]\n[2]', 'application/jsonlines')).toEqual([
      { value: [1], line: 1 },
      { value: [2], line: 2 },
    ]);
  });

  it('reads the batch field of an envelope object, else NDJSON, else refuses naming the field', async () => {
    const options = { envelopeField: 'samples' };
    expect(await parseBatch('{"version": 1, "samples": [\n{"gpu": 0},\n{"gpu": 1}\n], "node": "a"}', 'application/json', options)).toEqual([
      { value: { gpu: 0 }, line: 2 },
      { value: { gpu: 1 }, line: 3 },
    ]);
    expect(await parseBatch('{"gpu": 0}\n{"gpu": 1}', 'application/json', options)).toEqual([
      { value: { gpu: 0 }, line: 1 },
      { value: { gpu: 1 }, line: 2 },
    ]);
    expect((await refusal('{"samples": "none"}', 'application/json', options)).message).toBe('Expected {"samples": [...]}, a JSON array or NDJSON');
    // A broken object is read as NDJSON, so the answer names its line rather than refusing the whole body.
    expect(await parseBatch('{"samples": [1, ]}', 'application/json', options)).toEqual([
      { parseError: expect.stringMatching(/^line 1 is not valid JSON/), line: 1 },
    ]);
  });

  it('refuses a body of more items than the bound, before parsing the rest', async () => {
    const error = await refusal(JSON.stringify([1, 2, 3, 4]), 'application/json', { maxItems: 3 });
    expect(error.code).toBe(ErrorCode.PayloadTooLarge);
    expect(error.message).toBe('Body holds more than 3 items: send at most 3 per request');
    expect((await refusal('1\n2\n\n3\n4', 'application/x-ndjson', { maxItems: 3 })).code).toBe(ErrorCode.PayloadTooLarge);
    expect(await parseBatch('1\n2\n\n3', 'application/x-ndjson', { maxItems: 3 })).toHaveLength(3);
  });
});
