import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../../../server/src/modules/pricing/catalog/detect-format';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { fixturesDirectory } from '../../../support/test-engines';

interface Price {
  id: string;
  modelPattern: string;
  provider: string;
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  cachedInputPerMillionUsd: number | null;
  effectiveFrom: string;
  currency: string;
  source: string;
}

const priceFields = 'id modelPattern provider inputPerMillionUsd outputPerMillionUsd cachedInputPerMillionUsd effectiveFrom currency source';
const createPriceMutation = `mutation Create($modelPattern: String!, $provider: String!, $input: Float!, $output: Float!, $cached: Float, $effectiveFrom: DateTime!) {
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

  it('creates, reads, updates and deletes a price', async () => {
    const created = await createdPrice({ modelPattern: 'acme-large-v1', provider: 'Acme', input: 1.5, output: 6, cached: 0.75, effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(created).toMatchObject({
      modelPattern: 'acme-large-v1', provider: 'acme', inputPerMillionUsd: 1.5, outputPerMillionUsd: 6, cachedInputPerMillionUsd: 0.75,
      effectiveFrom: '2026-01-01T00:00:00.000Z', currency: 'USD', source: 'manual',
    });

    const read = await testApp.graphql<{ Price: Price }>(`query Read($id: ID!) { Price(id: $id) { ${priceFields} } }`, { id: created.id });
    expect(read.data?.Price).toEqual(created);

    const updated = await testApp.graphql<{ updatePrice: Price }>(
      `mutation Update($id: ID!) { updatePrice(id: $id, outputPerMillionUsd: 7.25, cachedInputPerMillionUsd: null) { ${priceFields} } }`,
      { id: created.id },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updatePrice).toEqual({ ...created, outputPerMillionUsd: 7.25, cachedInputPerMillionUsd: null });

    const deleted = await testApp.graphql<{ deletePrice: Price }>(`mutation Delete($id: ID!) { deletePrice(id: $id) { id modelPattern } }`, { id: created.id });
    expect(deleted.data?.deletePrice).toEqual({ id: created.id, modelPattern: 'acme-large-v1' });
    const gone = await testApp.graphql(`query Read($id: ID!) { Price(id: $id) { id } }`, { id: created.id });
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await listPrices({ filter: { ids: [created.id] } })).count).toBe(0);
  });

  it('filters by ids, q, provider and source, sorts, pages and counts', async () => {
    const first = await createdPrice({ modelPattern: 'zeta-small', provider: 'zeta', input: 0.2, output: 0.8, effectiveFrom: '2026-01-01T00:00:00Z' });
    const second = await createdPrice({ modelPattern: 'zeta-medium', provider: 'zeta', input: 0.4, output: 1.6, effectiveFrom: '2026-01-01T00:00:00Z' });
    const third = await createdPrice({ modelPattern: 'zeta-large', provider: 'zeta', input: 0.1, output: 3.2, effectiveFrom: '2026-01-01T00:00:00Z' });

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

    const negative = await createPrice({ modelPattern: 'acme-negative', provider: 'acme', input: -1, output: 2, cached: -0.5, effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(negative.errors?.[0].message).toBe('inputPerMillionUsd: must not be negative; cachedInputPerMillionUsd: must not be negative');
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await listPrices({ filter: { q: 'acme-negative' } })).count).toBe(0);

    const existing = await createdPrice({ modelPattern: 'acme-update-target', provider: 'acme', input: 1, output: 1, effectiveFrom: '2026-01-01T00:00:00Z' });
    const badUpdate = await testApp.graphql(`mutation Update($id: ID!) { updatePrice(id: $id, outputPerMillionUsd: -3) { id } }`, { id: existing.id });
    expect(badUpdate.errors?.[0].message).toBe('outputPerMillionUsd: must not be negative');
  });

  it('answers CONFLICT, not an internal error, for a second price of the same pattern, provider and date', async () => {
    const variables = { modelPattern: 'acme-duplicate', provider: 'acme', input: 1, output: 2, effectiveFrom: '2026-01-01T00:00:00Z' };
    const first = await createdPrice(variables);
    const second = await createPrice({ ...variables, input: 5 });
    expect(second.errors?.[0]).toMatchObject({
      message: 'A price for this model pattern and provider from this date already exists: edit that one',
      extensions: { code: 'CONFLICT' },
    });
    const other = await createdPrice({ ...variables, effectiveFrom: '2026-02-01T00:00:00Z' });
    const moved = await testApp.graphql(`mutation Move($id: ID!) { updatePrice(id: $id, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`, { id: other.id });
    expect(moved.errors?.[0].extensions?.code).toBe('CONFLICT');
    const kept = await testApp.graphql<{ Price: Price }>(`query Read($id: ID!) { Price(id: $id) { inputPerMillionUsd } }`, { id: first.id });
    expect(kept.data?.Price.inputPerMillionUsd).toBe(1);
  });

  it('answers NOT_FOUND, not an internal error, for an id that is not a price id', async () => {
    const read = await testApp.graphql('{ Price(id: "not-a-uuid") { id } }');
    expect(read.errors?.[0]).toMatchObject({ message: 'No price with id not-a-uuid', extensions: { code: 'NOT_FOUND' } });
    const update = await testApp.graphql('mutation { updatePrice(id: "42", inputPerMillionUsd: 1) { id } }');
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
    await createdPrice({ modelPattern: 'history-model', provider: 'acme', input: 1, output: 2, effectiveFrom: '2026-01-01T00:00:00Z' });
    await createdPrice({ modelPattern: 'history-model', provider: 'acme', input: 3, output: 4, effectiveFrom: '2026-03-02T12:00:00Z' });
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
