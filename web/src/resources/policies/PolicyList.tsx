import { Alert } from '@mui/material';
import { CreateButton, DataTable, DateField, FunctionField, List, SearchInput, SelectInput, TopToolbar, usePermissions } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { scopeKinds, scopeLabel, type PolicyRecord } from './policyRecord';

const policyFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="scopeKind" source="scopeKind" label="Scope" choices={scopeKinds.map(kind => ({ id: kind, name: kind }))} />,
];

function PolicyListActions({ canWrite }: { canWrite: boolean }) {
  return <TopToolbar>{canWrite && <CreateButton data-testid="policy-create" />}</TopToolbar>;
}

// Admins open a policy to edit it; compliance opens it to read it (history, diff and playground are on both).
export function PolicyList() {
  const { permissions, isPending } = usePermissions<string>();
  const canWrite = permissions === 'admin';
  if (isPending) return null;
  if (permissions !== 'admin' && permissions !== 'compliance') {
    return (
      <Alert severity="info" sx={{ m: 2 }} data-testid="policies-not-for-role">
        Policies are read by the admin and compliance roles, and written by admins only.
      </Alert>
    );
  }
  return (
    <List title="Policies" empty={false} filters={policyFilters} actions={<PolicyListActions canWrite={canWrite} />} sort={{ field: 'name', order: 'ASC' }} perPage={25} queryOptions={{ meta: { omitFields: ['versions'] } }}>
      <DataTable rowClick={canWrite ? 'edit' : 'show'} bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="scopeKind" label="Scope">
          <FunctionField<PolicyRecord> render={policy => scopeLabel(policy)} />
        </DataTable.Col>
        <DataTable.Col source="version" align="right" />
        <DataTable.Col source="quotaCount" label="Quotas" align="right" disableSort />
        <DataTable.Col source="updatedAt" label="Changed">
          <DateField source="updatedAt" showTime options={compactDateTimeOptions} />
        </DataTable.Col>
        <DataTable.Col source="updatedBy" label="By" />
      </DataTable>
    </List>
  );
}
