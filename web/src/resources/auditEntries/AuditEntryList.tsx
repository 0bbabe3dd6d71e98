import { Alert } from '@mui/material';
import { DataTable, DateField, DateTimeInput, FunctionField, List, SearchInput, TextInput, TopToolbar, usePermissions } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { localDateTimeToIso } from '../requests/requestFilters';
import { targetLabel, type AuditEntryRecord } from './auditEntryRecord';
import { VerifyChainButton } from './VerifyChainButton';

const auditFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="action" source="action" helperText="e.g. policy.update, or auth. for a family" alwaysOn />,
  <TextInput key="actor" source="actor" helperText="part of an email or key id" alwaysOn />,
  <TextInput key="team" source="team" />,
  <TextInput key="targetType" source="targetType" label="Target type" />,
  <DateTimeInput key="from" source="from" label="From" parse={localDateTimeToIso} alwaysOn />,
  <DateTimeInput key="to" source="to" label="To" parse={localDateTimeToIso} alwaysOn />,
];

function AuditListActions() {
  return (
    <TopToolbar>
      <VerifyChainButton />
    </TopToolbar>
  );
}

// Read-only: the log has no edit or delete anywhere. Admin and compliance read it.
export function AuditEntryList() {
  const { permissions, isPending } = usePermissions<string>();
  if (isPending) return null;
  if (permissions !== 'admin' && permissions !== 'compliance') {
    return (
      <Alert severity="info" sx={{ m: 2 }} data-testid="audit-not-for-role">
        The audit log is read by the admin and compliance roles.
      </Alert>
    );
  }
  return (
    <List
      title="Audit log"
      filters={auditFilters}
      actions={<AuditListActions />}
      sort={{ field: 'sequence', order: 'DESC' }}
      perPage={25}
      exporter={false}
      queryOptions={{ meta: { omitFields: ['before', 'after'] } }}
    >
      <DataTable rowClick="show" bulkActionButtons={false} size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap', px: 1, fontSize: 13 } }}>
        <DataTable.Col source="sequence" label="#" align="right" />
        <DataTable.Col source="at" label="Time">
          <DateField source="at" showTime options={compactDateTimeOptions} />
        </DataTable.Col>
        <DataTable.Col source="action" />
        <DataTable.Col source="actor" />
        <DataTable.Col source="actorRole" label="Role" disableSort />
        <DataTable.Col source="targetType" label="Target">
          <FunctionField<AuditEntryRecord> render={entry => targetLabel(entry)} />
        </DataTable.Col>
        <DataTable.Col source="team" />
      </DataTable>
    </List>
  );
}
