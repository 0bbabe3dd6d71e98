import {
  buildClientSchema,
  getIntrospectionQuery,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createRequire } from 'node:module';
import type { IntrospectionResult } from 'ra-data-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spendDashboardQuery } from '../../web/src/dataProvider/analyticsQueries';
import { buildQueryFactory } from '../../web/src/dataProvider/buildQuery';
import { gpuFleetQuery, gpuHotSpotsQuery, gpuSeriesQuery, idleGpusQuery } from '../../web/src/dataProvider/fleetQueries';
import { evaluationsDashboardQuery, modelComparisonQuery, worstRequestsQuery } from '../../web/src/dataProvider/evaluationsQueries';
import { nodeEngineMetricsQuery, nodeStatsQuery, nodesStatsQuery } from '../../web/src/dataProvider/nodeAgentQueries';
import { onPremCostQuery } from '../../web/src/dataProvider/onPremCostQueries';
import { nodeRateVersionsQuery } from '../../web/src/resources/nodes/nodeRateVersionsQuery';
import { importPricesMutation } from '../../web/src/resources/prices/importPricesMutation';
import { priceVersionsQuery } from '../../web/src/resources/prices/priceVersionsQuery';
import { policyVersionsQuery, tryPolicyQuery, validatePolicyQuery } from '../../web/src/resources/policies/policyQueries';
import { graphqlLimits, graphqlProtection, listRowsRequested } from '../../server/src/engine/graphql/graphql-protection';
import { withTypeFields } from '../../web/src/resources/scoreDefinitions/scoreDefinitionRecord';
import { startTestApp, type TestApp } from '../support/test-app';

// Every document the console sends, checked against the real server's schema: the one buildQuery writes for each
// resource and fetch method, and every analytics document. A renamed field or argument fails here, not in a browser.

type Params = Record<string, unknown>;

// ra-data-graphql's ES build imports @apollo/client's CommonJS build by named exports, which Node refuses outside a
// bundler; its CommonJS build is the same code.
const raDataGraphql = createRequire(import.meta.url)('ra-data-graphql') as typeof import('ra-data-graphql');

const resourceCases: Array<[string, string, Params]> = [
  ['GET_LIST', 'requests', { pagination: { page: 2, perPage: 25 }, sort: { field: 'timestamp', order: 'DESC' }, filter: { q: 'x', status: 'ok', team: 'search', timestamp_gte: '2026-01-01T00:00:00.000Z', unknownFilter: 1 }, meta: { omitFields: ['prompt', 'completion'] } }],
  ['GET_ONE', 'requests', { id: 'request-1' }],
  ['GET_MANY', 'requests', { ids: ['a', 'b'] }],
  ['GET_LIST', 'prices', { pagination: { page: 1, perPage: 25 }, sort: { field: 'modelPattern', order: 'ASC' }, filter: { q: 'gpt', provider: 'openai' } }],
  ['GET_ONE', 'prices', { id: '00000000-0000-0000-0000-000000000001' }],
  ['GET_MANY', 'prices', { ids: ['1', '2'] }],
  ['GET_MANY_REFERENCE', 'prices', { target: 'provider', id: 'openai', pagination: { page: 1, perPage: 10 }, sort: { field: 'modelPattern', order: 'ASC' }, filter: {} }],
  ['CREATE', 'prices', { data: { modelPattern: 'gpt-4o', provider: 'openai', inputPerMillionUsd: '2.5', outputPerMillionUsd: 10, cachedInputPerMillionUsd: null, effectiveFrom: '2026-01-01T00:00:00.000Z' } }],
  ['UPDATE', 'prices', { id: '7', data: { id: '7', modelPattern: 'gpt-4o', matchKind: 'EXACT', currency: 'USD', source: 'manual', inputPerMillionUsd: '2.50', cachedInputPerMillionUsd: '' }, previousData: {} }],
  ['DELETE', 'prices', { id: '7' }],
  ['DELETE_MANY', 'prices', { ids: ['7', '8'] }],
  ['GET_LIST', 'nodes', { pagination: { page: 1, perPage: 25 }, sort: { field: 'name', order: 'ASC' }, filter: { q: 'gpu', kind: 'vllm' } }],
  ['GET_ONE', 'nodes', { id: '00000000-0000-0000-0000-000000000001' }],
  ['GET_MANY', 'nodes', { ids: ['1'] }],
  ['CREATE', 'nodes', { data: { name: 'gpu-a', kind: 'vllm', hourlyCostUsd: 2.5, energyPriceUsdPerKwh: '0.12', powerOverheadFactor: 1.3, labels: [{ key: 'rack', value: 'a1' }], notes: '', ratesEffectiveFrom: '2026-01-01T00:00:00.000Z' } }],
  ['UPDATE', 'nodes', { id: '1', data: { id: '1', name: 'gpu-a', kind: 'tgi', labels: [], hourlyCostUsd: '3', hourlyCostUsdExact: '3', createdAt: '2026-01-01T00:00:00.000Z', notes: 'x' }, previousData: {} }],
  ['DELETE', 'nodes', { id: '1' }],
  ['DELETE_MANY', 'nodes', { ids: ['1', '2'] }],
  ['GET_LIST', 'policies', { pagination: { page: 1, perPage: 25 }, sort: { field: 'name', order: 'ASC' }, filter: { q: 'claims', scopeKind: 'team' }, meta: { omitFields: ['versions'] } }],
  ['GET_ONE', 'policies', { id: 'claims' }],
  ['GET_MANY', 'policies', { ids: ['claims', 'org'] }],
  ['CREATE', 'policies', { data: { document: { name: 'claims', scope: { team: 'claims' }, quotas: [{ name: 'q', metric: 'costUsd', limit: '500.00', period: 'month' }] } } }],
  ['UPDATE', 'policies', { id: 'claims', data: { id: 'claims', name: 'claims', version: 2, document: { name: 'claims', scope: { team: 'claims' } }, quotaCount: 0 }, previousData: {} }],
  ['DELETE', 'policies', { id: 'claims' }],
  // The console deletes in chunks of 40 (web/src/dataProvider/dataProvider.ts), under the server's alias limit.
  ['DELETE_MANY', 'prices', { ids: Array.from({ length: 40 }, (_unused, index) => String(index)) }],
  // react-admin's CSV export asks for up to 1,000 rows at once.
  ['GET_LIST', 'requests', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'timestamp', order: 'DESC' }, filter: {} }],
  ['GET_LIST', 'scoreDefinitions', { pagination: { page: 1, perPage: 25 }, sort: { field: 'name', order: 'ASC' }, filter: { q: 'hhem', dataType: 'numeric', origin: 'shipped' } }],
  ['GET_ONE', 'scoreDefinitions', { id: '00000000-0000-0000-0000-000000000001' }],
  ['CREATE', 'scoreDefinitions', { data: withTypeFields({ name: 'judge', dataType: 'boolean', direction: 'lower_is_better', labels: [] }) }],
  ['UPDATE', 'scoreDefinitions', { id: '1', data: { id: '1', name: 'judge', dataType: 'numeric', minimum: 0, maximum: 1, threshold: 0.5, direction: 'higher_is_better', labels: [], hallucinatedLabels: [], origin: 'user', createdAt: '2026-01-01T00:00:00.000Z' }, previousData: {} }],
  ['DELETE', 'scoreDefinitions', { id: '1' }],
];

// The server's limits (tokens, aliases, depth, cost, rows): every console document must pass them.
const protection = graphqlProtection(() => Promise.resolve(null));
function limitProblems(schema: GraphQLSchema, document: DocumentNode, variables: Params = {}): string[] {
  const reparsed = parse(print(document), { maxTokens: graphqlLimits.maxTokens });
  const problems = validate(schema, reparsed, [...specifiedRules, ...protection.validationRules]).map((error) => error.message);
  const rows = listRowsRequested(getOperationAST(reparsed)!, variables);
  return rows > graphqlLimits.maxListRows ? [...problems, `${rows} rows`] : problems;
}

const analyticsDocuments: Record<string, DocumentNode> = {
  spendDashboardQuery,
  importPricesMutation,
  gpuFleetQuery,
  gpuSeriesQuery,
  idleGpusQuery,
  gpuHotSpotsQuery,
  onPremCostQuery,
  priceVersionsQuery,
  nodeRateVersionsQuery,
  policyVersionsQuery,
  validatePolicyQuery,
  tryPolicyQuery,
  evaluationsDashboardQuery,
  worstRequestsQuery,
  modelComparisonQuery,
  nodeStatsQuery,
  nodesStatsQuery,
  nodeEngineMetricsQuery,
};

describe('console GraphQL documents against the real server schema', () => {
  let testApp: TestApp;
  let schema: GraphQLSchema;
  let introspection: IntrospectionResult;

  beforeAll(async () => {
    testApp = await startTestApp();
    const answer = await testApp.graphql<IntrospectionQuery>(getIntrospectionQuery());
    expect(answer.errors).toBeUndefined();
    schema = buildClientSchema(answer.data!);
    // ra-data-graphql's own introspection, over the same schema, as the console's data provider runs it. Its
    // declared result types `queries` as object types; they are fields (see web/src/dataProvider/buildQuery.ts).
    const options = { ...raDataGraphql.defaultOptions.introspection, schema: answer.data!.__schema };
    introspection = (await raDataGraphql.introspectSchema(null as never, options)) as unknown as IntrospectionResult;
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it.each(resourceCases)('%s %s validates', (fetchMethod, resource, params) => {
    const built = buildQueryFactory(introspection)(fetchMethod, resource, params as never);
    const errors = validate(schema, built.query).map((error) => error.message);
    expect(errors, print(built.query)).toEqual([]);
    expect(limitProblems(schema, built.query, built.variables), print(built.query)).toEqual([]);
  });

  it('sends node labels as NodeLabelInput and drops fields the mutation does not take', () => {
    const built = buildQueryFactory(introspection)('UPDATE', 'nodes', resourceCases.find(([method, resource]) => method === 'UPDATE' && resource === 'nodes')![2] as never);
    expect(built.variables).toEqual({ id: '1', name: 'gpu-a', kind: 'tgi', labels: [], hourlyCostUsd: '3', notes: 'x' });
  });

  it('sends Decimal arguments as the digits typed, never as floats', () => {
    const build = buildQueryFactory(introspection);
    const price = build('UPDATE', 'prices', resourceCases.find(([method, resource]) => method === 'UPDATE' && resource === 'prices')![2] as never);
    expect(price.variables).toEqual({ id: '7', modelPattern: 'gpt-4o', inputPerMillionUsd: '2.50', cachedInputPerMillionUsd: null });
    const node = build('CREATE', 'nodes', resourceCases.find(([method, resource]) => method === 'CREATE' && resource === 'nodes')![2] as never);
    expect(node.variables).toMatchObject({ hourlyCostUsd: '2.5', energyPriceUsdPerKwh: '0.12', powerOverheadFactor: '1.3', ratesEffectiveFrom: '2026-01-01T00:00:00.000Z' });
    expect(print(node.query)).toMatch(/\$hourlyCostUsd: Decimal/);
  });

  it('creates a node with labels, then clears them, through the documents buildQuery writes', async () => {
    const build = buildQueryFactory(introspection);
    const run = async (fetchMethod: string, params: Params) => {
      const built = build(fetchMethod, 'nodes', params as never);
      const answer = await testApp.graphql<{ data: { id: string; labels: unknown[]; hourlyCostUsd: string } }>(print(built.query), built.variables);
      expect(answer.errors).toBeUndefined();
      return answer.data!.data;
    };
    const created = await run('CREATE', { data: { name: 'build-query-node', kind: 'vllm', hourlyCostUsd: '2.5', energyPriceUsdPerKwh: 0.1, powerOverheadFactor: 1.2, labels: [{ key: 'rack', value: 'a1' }] } });
    expect(created).toMatchObject({ hourlyCostUsd: '2.5', energyPriceUsdPerKwh: '0.1', powerOverheadFactor: '1.2', labels: [{ key: 'rack', value: 'a1' }] });
    const updated = await run('UPDATE', { id: created.id, data: { ...created, labels: [] }, previousData: created });
    expect(updated.labels).toEqual([]);
  });

  it('creates a categorical score definition from the form\'s values, then turns it boolean', async () => {
    const build = buildQueryFactory(introspection);
    const run = async (fetchMethod: string, params: Params) => {
      const built = build(fetchMethod, 'scoreDefinitions', params as never);
      const answer = await testApp.graphql<{ data: Record<string, unknown> & { id: string } }>(print(built.query), built.variables);
      expect(answer.errors).toBeUndefined();
      return answer.data!.data;
    };
    // What the form holds: the select's empty direction (''), and numeric fields left from an earlier type choice.
    const created = await run('CREATE', { data: withTypeFields({ name: 'verdict.label', dataType: 'categorical', direction: '' as never, minimum: 0, labels: ['ok', 'bad'], hallucinatedLabels: ['bad'] }) });
    expect(created).toMatchObject({ dataType: 'categorical', direction: null, minimum: null, labels: ['ok', 'bad'], hallucinatedLabels: ['bad'] });
    const updated = await run('UPDATE', { id: created.id, data: withTypeFields({ ...created, dataType: 'boolean', direction: 'lower_is_better' } as never), previousData: created });
    expect(updated).toMatchObject({ dataType: 'boolean', direction: 'lower_is_better', labels: [], hallucinatedLabels: [] });
  });

  it.each(Object.entries(analyticsDocuments))('%s validates', (_name, document) => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    expect(limitProblems(schema, document)).toEqual([]);
  });

  it('passes the limits with the introspection query ra-data-graphql sends', () => {
    expect(limitProblems(schema, parse(getIntrospectionQuery()))).toEqual([]);
  });
});
