import { readFileSync } from 'node:fs';
import { buildSchema, introspectionFromSchema, validate, print } from 'graphql';
import { introspectSchema, defaultOptions } from 'ra-data-graphql';
import { test, expect } from 'vitest';
import { buildQueryFactory } from './src/dataProvider/buildQuery';
import { spendDashboardQuery } from './src/dataProvider/analyticsQueries';
import { importPricesMutation } from './src/resources/prices/importPricesMutation';

const schema = buildSchema(readFileSync('/tmp/webcheck/schema.graphql', 'utf8'));
test('documents validate', async () => {
  const introspection = await introspectSchema(null as never, { ...defaultOptions.introspection, schema: introspectionFromSchema(schema).__schema } as never);
  const build = buildQueryFactory(introspection as never);
  const cases: [string, string, unknown][] = [
    ['GET_LIST', 'requests', { pagination: { page: 2, perPage: 25 }, sort: { field: 'timestamp', order: 'DESC' }, filter: { q: 'x', status: 'ok', bogus: 1, priceKnown: 'false', timestamp_gte: '2024-01-01T00:00:00.000Z', team: '' } }],
    ['GET_ONE', 'requests', { id: 'abc' }],
    ['GET_MANY', 'prices', { ids: ['1', '2'] }],
    ['GET_MANY_REFERENCE', 'Price', { target: 'provider', id: 'openai', pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} }],
    ['CREATE', 'prices', { data: { modelPattern: 'gpt-4o', provider: 'openai', inputPerMillionUsd: '2.5', outputPerMillionUsd: 10, cachedInputPerMillionUsd: null, effectiveFrom: '2024-01-01T00:00:00.000Z' } }],
    ['UPDATE', 'prices', { id: '7', data: { id: '7', modelPattern: 'gpt-4o', currency: 'USD', source: 'manual', cachedInputPerMillionUsd: '' , __typename: 'Price'}, previousData: {} }],
    ['DELETE', 'prices', { id: '7' }],
    ['DELETE_MANY', 'prices', { ids: ['7', '8'] }],
  ];
  for (const [method, resource, params] of cases) {
    const built = build(method, resource, params);
    const errors = validate(schema, built.query);
    console.log(method, print(built.query).replace(/\s+/g, ' ').slice(0, 400), JSON.stringify(built.variables));
    expect(errors.map(e => e.message)).toEqual([]);
  }
  expect(validate(schema, spendDashboardQuery).map(e => e.message)).toEqual([]);
  expect(validate(schema, importPricesMutation).map(e => e.message)).toEqual([]);
});
