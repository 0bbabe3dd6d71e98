import { Stack } from '@mui/material';
import { BooleanField, BooleanInput, ChipField, DataTable, DateField, List, SearchInput, SelectInput, TextField, useRecordContext } from 'react-admin';
import { compactDateOptions } from '../../format';
import { AdminOnly } from '../AdminOnly';
import { scopeChoices } from './apiKeyChoices';
import { RevokeApiKeyButton } from './RevokeApiKeyButton';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="scope" source="scope" choices={scopeChoices.map((choice) => ({ id: choice.id, name: choice.id }))} />,
  <BooleanInput key="active" source="active" />,
];

export function ApiKeyList() {
  return (
    <AdminOnly what="API keys">
      <List title="API keys" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
        <DataTable rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="prefix" disableSort />
          <DataTable.Col source="team" disableSort>
            <TextField source="team" emptyText="(organisation)" />
          </DataTable.Col>
          <DataTable.Col label="Scopes" disableSort>
            <ScopeChips />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label="Created">
            <DateField source="createdAt" options={compactDateOptions} />
          </DataTable.Col>
          <DataTable.Col source="expiresAt" label="Expires">
            <DateField source="expiresAt" options={compactDateOptions} emptyText="never" />
          </DataTable.Col>
          <DataTable.Col source="lastUsedAt" label="Last used">
            <DateField source="lastUsedAt" options={compactDateOptions} emptyText="never" showTime />
          </DataTable.Col>
          <DataTable.Col source="revokedAt" label="Revoked">
            <DateField source="revokedAt" options={compactDateOptions} emptyText="—" />
          </DataTable.Col>
          <DataTable.Col source="active" disableSort>
            <BooleanField source="active" />
          </DataTable.Col>
          <DataTable.Col label="" disableSort>
            <RevokeApiKeyButton />
          </DataTable.Col>
        </DataTable>
      </List>
    </AdminOnly>
  );
}

/** One chip per scope the key holds. */
function ScopeChips() {
  const key = useRecordContext<{ scopes: string[] }>();
  return (
    <Stack direction="row" spacing={0.5}>
      {(key?.scopes ?? []).map((scope) => (
        <ChipField key={scope} record={{ scope }} source="scope" size="small" />
      ))}
    </Stack>
  );
}
