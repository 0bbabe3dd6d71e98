import { gql } from '@apollo/client';
import type { IntrospectionField, IntrospectionInputValue } from 'graphql';
import type { BuildQueryFactory, BuildQueryResult, IntrospectedResource, IntrospectionResult } from 'ra-data-graphql';
import { CREATE, DELETE, DELETE_MANY, GET_LIST, GET_MANY, GET_MANY_REFERENCE, GET_ONE, UPDATE } from 'react-admin';
import { withoutTypenames } from './recordValues';
import { argumentList, findType, namedTypeOf, selectionSetFor, variableDeclarations } from './schemaTypes';
import { coerceMutationArguments, coerceObject } from './variableValues';

// One buildQuery for every resource, with ra-data-graphql-simple's names: allX + _allXMeta, X, createX, updateX,
// deleteX. Pages are 0-based on the wire. A react-admin resource may be named `requests` or `Request`.
// A list may pass `meta: { omitFields: ['prompt'] }` to leave heavy fields out of its selection.

type Resource = IntrospectedResource & Partial<Record<string, IntrospectionField>>;
type Variables = Record<string, unknown>;
type ResponseData = Record<string, unknown> & { data?: unknown; items?: unknown[]; total?: { count: number } };

function findResource(introspection: IntrospectionResult, resourceName: string): Resource {
  const listQueryName = `all${resourceName}`.toLowerCase();
  const resource = (introspection.resources as Resource[]).find(
    candidate => candidate.type.name === resourceName || candidate[GET_LIST]?.name.toLowerCase() === listQueryName,
  );
  if (!resource) throw new Error(`The server has no GraphQL resource for "${resourceName}"`);
  return resource;
}

function operationOf(resource: Resource, fetchMethod: string): IntrospectionField {
  const operation = resource[fetchMethod];
  if (!operation) throw new Error(`The server offers no ${fetchMethod} operation for ${resource.type.name}`);
  return operation;
}

function argumentsGiven(field: IntrospectionField, variables: Variables): IntrospectionInputValue[] {
  return field.args.filter(argument => variables[argument.name] !== undefined);
}

function listQuery(
  introspection: IntrospectionResult,
  resource: Resource,
  listField: IntrospectionField,
  variables: Variables,
  withTotal: boolean,
  omittedFields: readonly string[] = [],
): BuildQueryResult {
  // ra-data-graphql types `queries` as object types; they are the Query and Mutation fields.
  const queries = introspection.queries as unknown as IntrospectionField[];
  const metaField = withTotal ? queries.find(query => query.name === `_${listField.name}Meta`) : undefined;
  const listArguments = argumentsGiven(listField, variables);
  const metaArguments = metaField ? argumentsGiven(metaField, variables) : [];
  const declared = [...listArguments, ...metaArguments.filter(meta => !listArguments.some(list => list.name === meta.name))];
  const total = metaField ? `total: ${metaField.name}${argumentList(metaArguments)} { count }` : '';
  const selection = selectionSetFor(resource.type, introspection.types, omittedFields);
  const query = gql`query ${listField.name}${variableDeclarations(declared)} {
    items: ${listField.name}${argumentList(listArguments)} ${selection}
    ${total}
  }`;
  return {
    query,
    variables: Object.fromEntries(declared.map(argument => [argument.name, variables[argument.name]])),
    parseResponse: response => {
      const data = response.data as ResponseData;
      const items = withoutTypenames(data.items ?? []);
      return { data: items, total: data.total?.count ?? items.length };
    },
  };
}

function filterVariable(introspection: IntrospectionResult, listField: IntrospectionField, filter: Variables): Variables {
  const filterArgument = listField.args.find(argument => argument.name === 'filter');
  if (!filterArgument) return {};
  const filterType = findType(introspection.types, namedTypeOf(filterArgument.type).name);
  if (!filterType || filterType.kind !== 'INPUT_OBJECT') return {};
  return coerceObject(filter, filterType.inputFields, introspection.types);
}

function singleOperation(
  introspection: IntrospectionResult,
  resource: Resource,
  field: IntrospectionField,
  values: Variables,
  kind: 'query' | 'mutation',
): BuildQueryResult {
  const variables = coerceMutationArguments(values, field.args, introspection.types);
  const used = field.args.filter(argument => argument.name in variables);
  const selection = selectionSetFor(resource.type, introspection.types);
  const query = gql`${kind} ${field.name}${variableDeclarations(used)} {
    data: ${field.name}${argumentList(used)} ${selection}
  }`;
  return {
    query,
    variables,
    parseResponse: response => {
      const data = (response.data as ResponseData).data;
      if (data == null) throw new Error(`${resource.type.name} ${String(values.id ?? '')} was not found`);
      return { data: withoutTypenames(data) };
    },
  };
}

function deleteMany(resource: Resource, ids: readonly unknown[]): BuildQueryResult {
  const deleteField = operationOf(resource, DELETE);
  const idArgument = deleteField.args.find(argument => argument.name === 'id');
  const idType = idArgument?.type.kind === 'NON_NULL' ? `${namedTypeOf(idArgument.type).name}!` : 'ID';
  const declarations = ids.map((_, index) => `$id${index}: ${idType}`).join(', ');
  const deletions = ids.map((_, index) => `item${index}: ${deleteField.name}(id: $id${index}) { id }`).join('\n');
  return {
    query: gql`mutation ${deleteField.name}Many(${declarations}) { ${deletions} }`,
    variables: Object.fromEntries(ids.map((id, index) => [`id${index}`, id])),
    parseResponse: () => ({ data: ids }),
  };
}

export const buildQueryFactory: BuildQueryFactory = introspection => (fetchMethod, resourceName, params) => {
  const resource = findResource(introspection, resourceName);
  switch (fetchMethod) {
    case GET_LIST:
    case GET_MANY_REFERENCE: {
      const listField = operationOf(resource, GET_LIST);
      const filter =
        fetchMethod === GET_MANY_REFERENCE ? { ...params.filter, [params.target]: params.id } : (params.filter ?? {});
      const variables = {
        page: params.pagination ? params.pagination.page - 1 : undefined,
        perPage: params.pagination?.perPage,
        sortField: params.sort?.field,
        sortOrder: params.sort?.order,
        filter: filterVariable(introspection, listField, filter),
      };
      return listQuery(introspection, resource, listField, variables, true, params.meta?.omitFields);
    }
    case GET_MANY: {
      const listField = operationOf(resource, GET_MANY);
      const filter = filterVariable(introspection, listField, { ids: params.ids });
      return listQuery(introspection, resource, listField, { page: 0, perPage: params.ids.length, filter }, false);
    }
    case GET_ONE:
      return singleOperation(introspection, resource, operationOf(resource, GET_ONE), { id: params.id }, 'query');
    case CREATE:
      return singleOperation(introspection, resource, operationOf(resource, CREATE), params.data, 'mutation');
    case UPDATE:
      return singleOperation(
        introspection,
        resource,
        operationOf(resource, UPDATE),
        { ...params.data, id: params.id },
        'mutation',
      );
    case DELETE:
      return singleOperation(introspection, resource, operationOf(resource, DELETE), { id: params.id }, 'mutation');
    case DELETE_MANY:
      return deleteMany(resource, params.ids);
    default:
      throw new Error(`${fetchMethod} is not supported for ${resource.type.name}`);
  }
};
