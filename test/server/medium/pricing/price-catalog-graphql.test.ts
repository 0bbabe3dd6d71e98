import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../../../server/src/modules/pricing/catalog/detect-format';
import { PricingService } from '../../../../server/src/modules/pricing/pricing.service';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { fixturesDirectory } from '../../../support/test-engines';

interface Price {
  id: string;
  modelPattern: string;
  matchKind: 'EXACT' | 'PATTERN';
  provider: string;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
  effectiveFrom: string;
  currency: string;
  source: string;
}

interface Version {
  id: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  inForce: boolean;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
}

const priceFields = 'id modelPattern matchKind provider inputPerMillionUsd outputPerMillionUsd cachedInputPerMillionUsd effectiveFrom currency source';
const versionFields = 'id effectiveFrom effectiveUntil inForce inputPerMillionUsd outputPerMillionUsd cachedInputPerMillionUsd';
const createPriceMutation = `mutation Create($modelPattern: String!, $provider: String!, $input: Decimal!, $output: Decimal!, $cached: Decimal, $effectiveFrom: DateTime!) {
  createPrice(modelPattern: $modelPattern, provider: $provider, inputPerMillionUsd: $input, outputPerMillionUsd: $output,
              cachedInputPerMillionUsd: $cached, effectiveFrom: $effectiveFrom) { ${priceFields} }
}`;

describe('the price catalog over GraphQL on real engines', () => {
  let testApp: TestApp;

  async function createPrice(variables: Record<string, unknown>) {
    return testApp.graphql<{ createPrice: Price }>(createPriceMutation, variables);
  }

  async function createdPrice(variables: Record<string, unknown>): Promise<Price> {
    const answer = await createPrice(variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.createPrice;
  }

  async function listPrices(args: Record<string, unknown>): Promise<{ prices: Price[]; count: number }> {
    const answer = await testApp.graphql<{ allPrices: Price[]; _allPricesMeta: { count: number } }>(
      `query List($page: Int, $perPage: Int, $sortField: String, $sortOrder: String, $filter: PriceFilter) {
        allPrices(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { ${priceFields} }
        _allPricesMeta(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { count }
      }`,
      { perPage: 1000, ...args },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return { prices: answer.data!.allPrices, count: answer.data!._allPricesMeta.count };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('starts seeded with the default catalog', async () => {
    const { prices, count } = await listPrices({ filter: { source: 'warden-default' } });
    expect(count).toBeGreaterThan(10);
    expect(prices.length).toBe(Math.min(count, 1000));
    expect(prices.every((price) => price.source === 'warden-default')).toBe(true);
  });

  async function versionsOf(id: string): Promise<Version[]> {
    const answer = await testApp.graphql<{ priceVersions: Version[] }>(`query Versions($id: ID!) { priceVersions(id: $id) { ${versionFields} } }`, { id });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.priceVersions;
  }

  it('creates, reads, edits (as a new version) and deletes a price, carrying money as decimal strings', async () => {
    const created = await createdPrice({ modelPattern: 'acme-large-v1', provider: 'Acme', input: '1.5', output: 6, cached: '0.75', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(created).toMatchObject({
      modelPattern: 'acme-large-v1', matchKind: 'EXACT', provider: 'acme', inputPerMillionUsd: '1.5', outputPerMillionUsd: '6', cachedInputPerMillionUsd: '0.75',
      effectiveFrom: '2026-01-01T00:00:00.000Z', currency: 'USD', source: 'manual',
    });

    const read = await testApp.graphql<{ Price: Price }>(`query Read($id: ID!) { Price(id: $id) { ${priceFields} } }`, { id: created.id });
    expect(read.data?.Price).toEqual(created);

    const before = Date.now();
    const updated = await testApp.graphql<{ updatePrice: Price }>(
      `mutation Update($id: ID!) { updatePrice(id: $id, outputPerMillionUsd: "7.25", cachedInputPerMillionUsd: null) { ${priceFields} } }`,
      { id: created.id },
    );
    expect(updated.errors).toBeUndefined();
    const version = updated.data!.updatePrice;
    // The edit is a new version from now; the version in force until now is untouched.
    expect(version).toEqual({ ...created, id: version.id, outputPerMillionUsd: '7.25', cachedInputPerMillionUsd: null, effectiveFrom: version.effectiveFrom });
    expect(version.id).not.toBe(created.id);
    expect(Date.parse(version.effectiveFrom)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(version.effectiveFrom)).toBeLessThanOrEqual(Date.now());
    expect((await testApp.graphql<{ Price: Price }>(`query Read($id: ID!) { Price(id: $id) { ${priceFields} } }`, { id: created.id })).data?.Price).toEqual(created);
    expect(await versionsOf(created.id)).toEqual([
      { id: created.id, effectiveFrom: created.effectiveFrom, effectiveUntil: version.effectiveFrom, inForce: false, inputPerMillionUsd: '1.5', outputPerMillionUsd: '6', cachedInputPerMillionUsd: '0.75' },
      { id: version.id, effectiveFrom: version.effectiveFrom, effectiveUntil: null, inForce: true, inputPerMillionUsd: '1.5', outputPerMillionUsd: '7.25', cachedInputPerMillionUsd: null },
    ]);
    expect(await versionsOf(version.id)).toEqual(await versionsOf(created.id));

    // Saving the form unchanged writes nothing.
    const unchanged = await testApp.graphql<{ updatePrice: Price }>(
      `mutation Update($id: ID!) { updatePrice(id: $id, modelPattern: "acme-large-v1", provider: "acme", inputPerMillionUsd: "1.50") { id } }`,
      { id: version.id },
    );
    expect(unchanged.data?.updatePrice.id).toBe(version.id);
    expect(await versionsOf(created.id)).toHaveLength(2);

    const deleted = await testApp.graphql<{ deletePrice: Price }>(`mutation Delete($id: ID!) { deletePrice(id: $id) { id modelPattern } }`, { id: version.id });
    expect(deleted.data?.deletePrice).toEqual({ id: version.id, modelPattern: 'acme-large-v1' });
    const gone = await testApp.graphql(`query Read($id: ID!) { Price(id: $id) { id } }`, { id: version.id });
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await listPrices({ filter: { ids: [version.id] } })).count).toBe(0);
    expect((await versionsOf(created.id)).map((item) => item.id)).toEqual([created.id]);
  });

  it('refuses to change the pattern or provider of a price: that would re-price the past', async () => {
    const created = await createdPrice({ modelPattern: 'acme-fixed-entry', provider: 'acme', input: '1', output: '1', effectiveFrom: '2026-01-01T00:00:00Z' });
    const renamed = await testApp.graphql(`mutation Update($id: ID!) { updatePrice(id: $id, modelPattern: "acme-other", provider: "zeta") { id } }`, { id: created.id });
    expect(renamed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(renamed.errors?.[0].message).toMatch(/^modelPattern: cannot change: .*; provider: cannot change: /);
    expect(await versionsOf(created.id)).toHaveLength(1);
  });

  it('replaces a version only while it is not yet in force', async () => {
    const pricing = testApp.app.get(PricingService);
    const created = await createdPrice({ modelPattern: 'acme-future', provider: 'acme', input: '1', output: '1', effectiveFrom: '2026-01-01T00:00:00Z' });
    const now = new Date('2026-03-01T00:00:00Z');
    const future = await pricing.update(created.id, { inputPerMillionUsd: '2', effectiveFrom: new Date('2026-04-01T00:00:00Z') }, now);
    const corrected = await pricing.update(future.id, { inputPerMillionUsd: '2.5', effectiveFrom: new Date('2026-04-01T00:00:00Z') }, now);
    expect(corrected.id).toBe(future.id);
    expect(corrected.inputPerMillionUsd).toBe('2.5');
    await expect(pricing.update(created.id, { inputPerMillionUsd: '9', effectiveFrom: new Date('2026-01-01T00:00:00Z') }, now)).rejects.toMatchObject({
      code: 'conflict',
      message: 'The version of this price from 2026-01-01T00:00:00.000Z is already in force and is never rewritten: give the new rates a later effectiveFrom',
    });
    expect((await versionsOf(created.id)).map((version) => version.inputPerMillionUsd)).toEqual(['1', '2.5']);
  });

  it('filters by ids, q, provider and source, sorts, pages and counts', async () => {
    const first = await createdPrice({ modelPattern: 'zeta-small', provider: 'zeta', input: '0.2', output: '0.8', effectiveFrom: '2026-01-01T00:00:00Z' });
    const second = await createdPrice({ modelPattern: 'zeta-medium', provider: 'zeta', input: '0.4', output: '1.6', effectiveFrom: '2026-01-01T00:00:00Z' });
    const third = await createdPrice({ modelPattern: 'zeta-large', provider: 'zeta', input: '0.1', output: '3.2', effectiveFrom: '2026-01-01T00:00:00Z' });

    const byProvider = await listPrices({ filter: { provider: 'zeta' }, sortField: 'inputPerMillionUsd', sortOrder: 'ASC' });
    expect(byProvider.prices.map((price) => price.id)).toEqual([third.id, first.id, second.id]);
    expect(byProvider.count).toBe(3);

    const descending = await listPrices({ filter: { provider: 'zeta' }, sortField: 'outputPerMillionUsd', sortOrder: 'DESC' });
    expect(descending.prices.map((price) => price.id)).toEqual([third.id, second.id, first.id]);

    const paged = await listPrices({ filter: { provider: 'zeta' }, sortField: 'modelPattern', sortOrder: 'ASC', page: 1, perPage: 2 });
    expect(paged.prices.map((price) => price.modelPattern)).toEqual(['zeta-small']);
    expect(paged.count).toBe(3);

    const byIds = await listPrices({ filter: { ids: [first.id, third.id] } });
    expect(byIds.prices.map((price) => price.id).sort()).toEqual([first.id, third.id].sort());

    const byQuery = await listPrices({ filter: { q: 'ZETA-M' } });
    expect(byQuery.prices.map((price) => price.id)).toEqual([second.id]);
    expect(byQuery.count).toBe(1);

    const manual = await listPrices({ filter: { source: 'manual', q: 'zeta' } });
    expect(manual.count).toBe(3);
  });

  it('refuses a bad regular expression or a negative price, naming the field', async () => {
    const badPattern = await createPrice({ modelPattern: 'gpt-(4o', provider: 'openai', input: 1, output: 1, effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(badPattern.data).toBeNull();
    expect(badPattern.errors?.[0].message).toMatch(/^modelPattern: model pattern "gpt-\(4o" is not a valid regular expression/);
    expect(badPattern.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const negative = await createPrice({ modelPattern: 'acme-negative', provider: 'acme', input: -1, output: 2, cached: '-0.5', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(negative.errors?.[0].message).toBe('inputPerMillionUsd: must not be negative; cachedInputPerMillionUsd: must not be negative');
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await listPrices({ filter: { q: 'acme-negative' } })).count).toBe(0);

    const existing = await createdPrice({ modelPattern: 'acme-update-target', provider: 'acme', input: 1, output: 1, effectiveFrom: '2026-01-01T00:00:00Z' });
    const badUpdate = await testApp.graphql(`mutation Update($id: ID!) { updatePrice(id: $id, outputPerMillionUsd: -3) { id } }`, { id: existing.id });
    expect(badUpdate.errors?.[0].message).toBe('outputPerMillionUsd: must not be negative');
  });

  it('refuses a pattern RE2 cannot run, naming it, on create and on import', async () => {
    const lookahead = await createPrice({ modelPattern: 'gpt-4o(?!-mini)', provider: 'openai', input: '1', output: '1', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(lookahead.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(lookahead.errors?.[0].message).toMatch(/^modelPattern: model pattern "gpt-4o\(\?!-mini\)" is not a valid regular expression for RE2 .*unsupported Perl syntax/);
    const backreference = await createPrice({ modelPattern: '(gpt)-\\1', provider: 'openai', input: '1', output: '1', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(backreference.errors?.[0].message).toMatch(/^modelPattern: model pattern "\(gpt\)-\\\\1" is not a valid regular expression for RE2/);
    const file = JSON.stringify({ format: 'warden-price-catalog', version: 1, prices: [
      { modelPattern: '(?<=x)y', inputPerMillionUsd: '1', outputPerMillionUsd: '1' },
      { modelPattern: 're2-fine-model', inputPerMillionUsd: '1', outputPerMillionUsd: '1' },
    ] });
    const imported = await testApp.graphql<{ importPrices: { imported: number; skipped: number; errors: string[] } }>(
      'mutation Import($content: String!) { importPrices(content: $content) { imported skipped errors } }', { content: file });
    expect(imported.data?.importPrices).toMatchObject({ imported: 1, skipped: 1 });
    expect(imported.data?.importPrices.errors[0]).toMatch(/^\(\?<=x\)y: model pattern "\(\?<=x\)y" is not a valid regular expression for RE2/);
  });

  it('refuses a price its column cannot hold exactly, never rounding it, naming the field', async () => {
    const base = { modelPattern: 'acme-scale', provider: 'acme', effectiveFrom: '2026-01-01T00:00:00Z' };
    const tooPrecise = await createPrice({ ...base, input: '0.0000000001', output: '1' });
    expect(tooPrecise.errors?.[0]).toMatchObject({
      message: 'inputPerMillionUsd: more than 9 decimal places (0.0000000001); the column keeps 9: round it yourself',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const tooLarge = await createPrice({ ...base, input: '1', output: '100000000000' });
    expect(tooLarge.errors?.[0].message).toBe('outputPerMillionUsd: too large: at most 99999999999.999999999');
    // A literal in the query is read from its digits: 0.1234567891 has ten decimals, not a rounded double.
    const literal = await testApp.graphql(`mutation { createPrice(modelPattern: "acme-scale", provider: "acme", inputPerMillionUsd: 0.1234567891, outputPerMillionUsd: 1, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`);
    expect(literal.errors?.[0].message).toMatch(/^inputPerMillionUsd: more than 9 decimal places \(0\.1234567891\)/);
    // A JSON number variable with more digits than a double keeps exactly is refused as a variable error.
    const lossy = await createPrice({ ...base, input: JSON.parse('0.12345678901234567890') as number, output: '1' });
    expect(lossy.errors?.[0].message).toMatch(/Variable "\$input" got invalid value .*send it as a string/);
    expect((await listPrices({ filter: { q: 'acme-scale' } })).count).toBe(0);
    const exact = await createdPrice({ ...base, input: '99999999999.999999999', output: '0.000000001' });
    expect(exact).toMatchObject({ inputPerMillionUsd: '99999999999.999999999', outputPerMillionUsd: '0.000000001' });
  });

  it('answers CONFLICT, not an internal error, for a second price of the same pattern, provider and date', async () => {
    const variables = { modelPattern: 'acme-duplicate', provider: 'acme', input: 1, output: 2, effectiveFrom: '2026-01-01T00:00:00Z' };
    const first = await createdPrice(variables);
    const second = await createPrice({ ...variables, input: 5 });
    expect(second.errors?.[0]).toMatchObject({
      message: 'A price for this model pattern and provider from this date already exists: edit that one',
      extensions: { code: 'CONFLICT' },
    });
    const other = await createdPrice({ ...variables, input: 3, effectiveFrom: '2026-02-01T00:00:00Z' });
    const moved = await testApp.graphql(`mutation Move($id: ID!) { updatePrice(id: $id, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`, { id: other.id });
    expect(moved.errors?.[0].extensions?.code).toBe('CONFLICT');
    const kept = await testApp.graphql<{ Price: Price }>(`query Read($id: ID!) { Price(id: $id) { inputPerMillionUsd } }`, { id: first.id });
    expect(kept.data?.Price.inputPerMillionUsd).toBe('1');
  });

  it('answers NOT_FOUND, not an internal error, for an id that is not a price id', async () => {
    const read = await testApp.graphql('{ Price(id: "not-a-uuid") { id } }');
    expect(read.errors?.[0]).toMatchObject({ message: 'No price with id not-a-uuid', extensions: { code: 'NOT_FOUND' } });
    const update = await testApp.graphql('mutation { updatePrice(id: "42", inputPerMillionUsd: "1") { id } }');
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const remove = await testApp.graphql('mutation { deletePrice(id: "00000000-0000-0000-0000-000000000000") { id } }');
    expect(remove.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await listPrices({ filter: { ids: ['not-a-uuid'] } })).toEqual({ prices: [], count: 0 });
  });

  it('refuses a sort field prices cannot be sorted by', async () => {
    const answer = await testApp.graphql('{ allPrices(sortField: "createdAt") { id } }');
    expect(answer.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^sortField must be one of: modelPattern, provider/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  for (const [fileName, source] of [['default-model-prices.json', 'langfuse'], ['model_prices_and_context_window.json', 'litellm']] as const) {
    it(`imports the real ${fileName} (${source} format)`, async () => {
      const content = fs.readFileSync(path.resolve(fixturesDirectory, 'data', fileName), 'utf8');
      const effectiveFrom = new Date('2026-02-01T00:00:00Z');
      const parsed = parseCatalogFile(JSON.parse(content), effectiveFrom);
      const answer = await testApp.graphql<{ importPrices: { imported: number; skipped: number; errors: string[] } }>(
        'mutation Import($content: String!, $effectiveFrom: DateTime) { importPrices(content: $content, effectiveFrom: $effectiveFrom) { imported skipped errors } }',
        { content, effectiveFrom: effectiveFrom.toISOString() },
      );
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.data!.importPrices.imported).toBe(parsed.entries.length);
      expect(answer.data!.importPrices.imported).toBeGreaterThan(100);
      expect(answer.data!.importPrices.skipped).toBe(parsed.skipped.length);
      expect(answer.data!.importPrices.errors.length).toBe(Math.min(parsed.skipped.length, 200));

      const distinctKeys = new Set(parsed.entries.map((entry) => `${entry.modelPattern}\u0000${entry.provider}\u0000${entry.effectiveFrom.toISOString()}`));
      const stored = await listPrices({ filter: { source }, perPage: 1 });
      expect(stored.count).toBe(distinctKeys.size);
    });
  }

  it('refuses a file that is not JSON or not a known catalog format', async () => {
    const notJson = await testApp.graphql('mutation { importPrices(content: "{nope") { imported } }');
    expect(notJson.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^The catalog is not valid JSON/), extensions: { code: 'BAD_USER_INPUT' } });
    const unknown = await testApp.graphql('mutation { importPrices(content: "[1, 2, 3]") { imported } }');
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('prices an event with the price in force at its time: one before a new price keeps the old one', async () => {
    const original = await createdPrice({ modelPattern: 'history-model', provider: 'acme', input: 1, output: 2, effectiveFrom: '2026-01-01T00:00:00Z' });
    // The console's edit: new rates from a date; the old version keeps pricing the events before it.
    const edited = await testApp.graphql<{ updatePrice: Price }>(
      `mutation Edit($id: ID!) { updatePrice(id: $id, inputPerMillionUsd: "3", outputPerMillionUsd: "4", effectiveFrom: "2026-03-02T12:00:00Z") { ${priceFields} } }`,
      { id: original.id },
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data?.updatePrice).toMatchObject({ effectiveFrom: '2026-03-02T12:00:00.000Z', inputPerMillionUsd: '3', outputPerMillionUsd: '4' });
    expect((await versionsOf(original.id)).map((version) => [version.effectiveFrom, version.inputPerMillionUsd, version.outputPerMillionUsd])).toEqual([
      ['2026-01-01T00:00:00.000Z', '1', '2'],
      ['2026-03-02T12:00:00.000Z', '3', '4'],
    ]);
    const event = (id: string, timestamp: string) => ({ id, timestamp, model: 'history-model', provider: 'acme', inputTokens: 1000, outputTokens: 500 });
    const answer = await postEvents(testApp, [
      event('history-before', '2026-03-02T11:59:59.999Z'),
      event('history-at', '2026-03-02T12:00:00.000Z'),
      event('history-after', '2026-03-02T13:00:00.000Z'),
      event('history-too-early', '2025-12-31T23:59:59.000Z'),
    ]);
    expect(answer.body).toMatchObject({ accepted: 4 });
    const costs = await testApp.graphql<Record<string, { costNanoUsd: string | null; costSource: string }>>(`{
      before: Request(id: "history-before") { costNanoUsd costSource }
      at: Request(id: "history-at") { costNanoUsd costSource }
      after: Request(id: "history-after") { costNanoUsd costSource }
      tooEarly: Request(id: "history-too-early") { costNanoUsd costSource }
    }`);
    // Old price: 1000 × $1/M + 500 × $2/M = $0.002. New price: 1000 × $3/M + 500 × $4/M = $0.005.
    expect(costs.data).toEqual({
      before: { costNanoUsd: '2000000', costSource: 'catalog' },
      at: { costNanoUsd: '5000000', costSource: 'catalog' },
      after: { costNanoUsd: '5000000', costSource: 'catalog' },
      tooEarly: { costNanoUsd: null, costSource: 'unknown' },
    });
  });
});
