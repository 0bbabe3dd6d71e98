import { ApolloClient, HttpLink, InMemoryCache, from } from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { readToken } from '../authProvider/session';

// One Apollo client for react-admin's CRUD and for the analytics queries; it carries the session token.
const authorizationLink = setContext((_, { headers }) => {
  const token = readToken();
  return { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
});

const graphqlLink = new HttpLink({ uri: '/graphql' });

export const apolloClient = new ApolloClient({
  link: from([authorizationLink, graphqlLink]),
  cache: new InMemoryCache(),
  defaultOptions: {
    query: { fetchPolicy: 'network-only' },
    watchQuery: { fetchPolicy: 'network-only' },
  },
});
