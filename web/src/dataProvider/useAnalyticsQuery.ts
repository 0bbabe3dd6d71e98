import { useQuery, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { useEffect } from 'react';
import { useLogoutIfAccessDenied } from 'react-admin';

// Analytics run on the same Apollo client as the CRUD; an ended session signs the user out as it does there.
export function useAnalyticsQuery<Data, Variables extends OperationVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
) {
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const result = useQuery(document, { variables, fetchPolicy: 'network-only', notifyOnNetworkStatusChange: true });
  useEffect(() => {
    if (result.error) void logoutIfAccessDenied(result.error);
  }, [result.error, logoutIfAccessDenied]);
  return result;
}
