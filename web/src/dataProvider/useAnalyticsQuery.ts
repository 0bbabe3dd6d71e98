import { useQuery, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { useEffect } from 'react';
import { useLogoutIfAccessDenied } from 'react-admin';

export interface AnalyticsQueryOptions {
  /** Re-run every so many milliseconds (live views such as the GPU fleet). */
  pollInterval?: number;
  skip?: boolean;
}

// Analytics run on the same Apollo client as the CRUD; an ended session signs the user out as it does there.
export function useAnalyticsQuery<Data, Variables extends OperationVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  options: AnalyticsQueryOptions = {},
) {
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const result = useQuery(document, { variables, fetchPolicy: 'network-only', notifyOnNetworkStatusChange: true, ...options });
  useEffect(() => {
    if (result.error) void logoutIfAccessDenied(result.error);
  }, [result.error, logoutIfAccessDenied]);
  return result;
}
