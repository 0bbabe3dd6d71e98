import { Alert } from '@mui/material';
import type { ReactNode } from 'react';
import { usePermissions } from 'react-admin';

/** Teams, users and API keys are administration: other roles see why the page is empty (the server refuses them too). */
export function AdminOnly({ children, what }: { children: ReactNode; what: string }) {
  const { permissions, isPending } = usePermissions<string>();
  if (isPending) return null;
  if (permissions !== 'admin') {
    return (
      <Alert severity="info" sx={{ m: 2 }} data-testid="admin-only">
        {what} are managed by admins only.
      </Alert>
    );
  }
  return <>{children}</>;
}
