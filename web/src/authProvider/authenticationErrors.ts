// Errors reach checkError in several shapes: react-admin's HttpError (status, body = ApolloError),
// a raw ApolloError (introspection, analytics hooks) or a ServerError as Apollo's networkError.
interface GraphQLErrorLike {
  extensions?: { code?: unknown };
}

interface ErrorLike {
  status?: unknown;
  statusCode?: unknown;
  body?: unknown;
  networkError?: unknown;
  graphQLErrors?: readonly GraphQLErrorLike[];
  errors?: readonly GraphQLErrorLike[];
  result?: unknown;
}

// 401 means the session is missing, expired or revoked: sign in again. A 403 (a role lacks a right) keeps the session.
const signedOutStatuses = new Set([401]);

export function isAuthenticationError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as ErrorLike;
  if (signedOutStatuses.has(Number(candidate.status)) || signedOutStatuses.has(Number(candidate.statusCode))) {
    return true;
  }
  const graphQLErrors = [...(candidate.graphQLErrors ?? []), ...(candidate.errors ?? [])];
  if (graphQLErrors.some(graphQLError => graphQLError?.extensions?.code === 'UNAUTHENTICATED')) return true;
  return [candidate.body, candidate.networkError, candidate.result].some(inner => isAuthenticationError(inner, depth + 1));
}
