import type { ApolloClient } from '@apollo/client';
import buildGraphQLProvider, { introspectSchema, type GraphqlDataProvider, type Options } from 'ra-data-graphql';
import type { DataProvider } from 'react-admin';
import { buildQueryFactory } from './buildQuery';

type IntrospectionResolver = typeof introspectSchema;

/** Below the server's GraphQL alias limit (server/src/engine/graphql/graphql-protection.ts). */
const maxDeletionsPerRequest = 40;

// ra-data-graphql keeps its introspection promise forever, a rejected one too (say the session had ended when
// it ran). A failed introspection therefore discards the provider, and the next call builds a fresh one.
export function createDataProvider(client: ApolloClient<unknown>): DataProvider {
  let introspectionFailed = false;
  const resolveIntrospection: IntrospectionResolver = async (apollo, options) => {
    try {
      return await introspectSchema(apollo, options);
    } catch (error) {
      introspectionFailed = true;
      throw error;
    }
  };
  const build = (): GraphqlDataProvider => {
    const options: Options & { resolveIntrospection: IntrospectionResolver } = {
      client,
      buildQuery: buildQueryFactory,
      resolveIntrospection,
    };
    return buildGraphQLProvider(options);
  };
  let provider = build();
  const current = (): GraphqlDataProvider => {
    if (introspectionFailed) {
      introspectionFailed = false;
      provider = build();
    }
    return provider;
  };

  return {
    getList: (resource, params) => current().getList(resource, params),
    getOne: (resource, params) => current().getOne(resource, params),
    getMany: (resource, params) => current().getMany(resource, params),
    getManyReference: (resource, params) => current().getManyReference(resource, params),
    create: (resource, params) => current().create(resource, params),
    update: (resource, params) => current().update(resource, params),
    updateMany: (resource, params) => current().updateMany(resource, params),
    delete: (resource, params) => current().delete(resource, params),
    deleteMany: async (resource, params) => {
      // One aliased mutation per id, and the server admits at most 50 aliases a document: delete in chunks.
      const deleted: typeof params.ids = [];
      for (let start = 0; start < params.ids.length; start += maxDeletionsPerRequest) {
        const { data } = await current().deleteMany(resource, { ...params, ids: params.ids.slice(start, start + maxDeletionsPerRequest) });
        deleted.push(...(data ?? []));
      }
      return { data: deleted };
    },
  };
}
