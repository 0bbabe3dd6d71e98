import { DataTable, DateField, List, NumberField, SearchInput, TextField } from 'react-admin';
import { compactDateOptions } from '../../format';
import { AdminOnly } from '../AdminOnly';

const filters = [<SearchInput key="q" source="q" alwaysOn />];

export function TeamList() {
  return (
    <AdminOnly what="Teams">
      <List title="Teams" filters={filters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="displayName" label="Display name" />
          <DataTable.Col source="parent" label="Parent" disableSort>
            <TextField source="parent" emptyText="—" />
          </DataTable.Col>
          <DataTable.Col source="memberCount" label="Members" disableSort>
            <NumberField source="memberCount" />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label="Created">
            <DateField source="createdAt" options={compactDateOptions} />
          </DataTable.Col>
        </DataTable>
      </List>
    </AdminOnly>
  );
}
