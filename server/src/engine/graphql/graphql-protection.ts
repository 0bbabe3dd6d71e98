import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { GraphQLError, Kind, visit, type DocumentNode, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import type { Principal } from '../auth/access-port';

/**
 * Bounds on every GraphQL document, checked before anything runs (README states them). Tokens are counted by the
 * parser, which stops at the limit, so a huge document costs no more than a small one; aliases, depth and cost are
 * validation rules. The console's largest documents: the introspection query (~180 tokens, depth is not counted for
 * `__schema`), the spend dashboard (~170 tokens), a bulk delete of 40 rows (40 aliases, ~500 tokens), a CSV export
 * (one list of 1,000 rows).
 */
export const graphqlLimits = {
  maxTokens: 2000,
  /** Rows all list fields of one document may ask for together (their `perPage`), which bounds the answer. */
  maxListRows: 2000,
  maxAliases: 50,
  maxDepth: 8,
  maxCost: 5000,
  maxDirectives: 20,
} as const;

// Apollo's plugin type as the Nest driver sees it (its CommonJS build), so the two agree.
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

export interface GraphqlProtection {
  parseOptions: { maxTokens: number };
  validationRules: ValidationRule[];
  plugins: ApolloPlugin[];
  allowBatchedHttpRequests: false;
}

/** Who is calling a GraphQL request; null when nobody is signed in (or the session ended). */
export type GraphqlCaller = (request: Request) => Promise<Principal | null>;

/** graphql-armor's alias, depth, cost and directive rules, the parser's token limit, and no schema for anonymous callers. */
export function graphqlProtection(callerOf: GraphqlCaller): GraphqlProtection {
  const armor = new ApolloArmor({
    maxAliases: { n: graphqlLimits.maxAliases, allowList: [] },
    maxDepth: { n: graphqlLimits.maxDepth },
    costLimit: { maxCost: graphqlLimits.maxCost },
    maxDirectives: { n: graphqlLimits.maxDirectives },
    // The parser's own maxTokens (below) answers 400 as a syntax error; armor's re-parses and answers 500.
    maxTokens: { enabled: false },
  }).protect();
  return {
    parseOptions: { maxTokens: graphqlLimits.maxTokens },
    validationRules: armor.validationRules,
    plugins: [...(armor.plugins as ApolloPlugin[]), listRowsBudget(), anonymousIntrospectionRefusal(callerOf)],
    allowBatchedHttpRequests: false,
  };
}

/** The rows a document's list fields ask for: the sum of their `perPage` arguments, literal or variable. */
export function listRowsRequested(operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): number {
  let rows = 0;
  visit(operation, {
    [Kind.ARGUMENT]: (argument) => {
      if (argument.name.value !== 'perPage') return;
      const value = argument.value.kind === Kind.INT ? Number(argument.value.value) : argument.value.kind === Kind.VARIABLE ? variables[argument.value.name.value] : undefined;
      if (typeof value === 'number' && Number.isFinite(value)) rows += Math.max(0, value);
    },
  });
  return rows;
}

/** Aliases multiply a list: 50 aliases of 1,000 rows each would be 50,000 rows. Refused before anything runs. */
function listRowsBudget(): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }: { operation?: OperationDefinitionNode; request: { variables?: Record<string, unknown> } }) {
          if (!operation) return;
          const rows = listRowsRequested(operation, request.variables);
          if (rows <= graphqlLimits.maxListRows) return;
          throw new GraphQLError(`This document asks for ${rows} rows; at most ${graphqlLimits.maxListRows} per request`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        },
      };
    },
  };
}

function readsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (field) => {
      if (field.name.value === '__schema' || field.name.value === '__type') found = true;
    },
  });
  return found;
}

/** Introspection only for signed-in callers; refused after validation, before anything executes. */
function anonymousIntrospectionRefusal(callerOf: GraphqlCaller): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }: { document: DocumentNode; contextValue: { req: Request } }) {
          if (!readsSchema(document)) return;
          let caller: Principal | null;
          try {
            caller = await callerOf(contextValue.req);
          } catch {
            // The session store did not answer: neither a refusal (that would sign the user out) nor a leak.
            throw new GraphQLError('A data store is unavailable; /readyz shows which', { extensions: { code: 'STORE_UNAVAILABLE', http: { status: 503 } } });
          }
          if (caller?.kind === 'session') return;
          throw new GraphQLError('Sign in to read the schema (introspection is for signed-in users)', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        },
      };
    },
  };
}
