import { BooleanField, BooleanInput, DataTable, DateField, FunctionField, List, SearchInput, SelectInput } from 'react-admin';
import { compactDateOptions } from '../../format';
import { AdminOnly } from '../AdminOnly';
import { DeactivateUserButton } from './DeactivateUserButton';
import { shortRoleChoices } from './userChoices';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={shortRoleChoices} />,
  <BooleanInput key="active" source="active" />,
];

export function UserList() {
  return (
    <AdminOnly what="Users">
      <List title="Users" filters={filters} sort={{ field: 'email', order: 'ASC' }} perPage={25}>
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="email" />
          <DataTable.Col source="name" />
          <DataTable.Col source="role" />
          <DataTable.Col label="Teams" disableSort>
            <FunctionField<{ teams: string[] }> render={(user) => (user.teams.length > 0 ? user.teams.join(', ') : '—')} />
          </DataTable.Col>
          <DataTable.Col source="active" disableSort>
            <BooleanField source="active" />
          </DataTable.Col>
          <DataTable.Col source="createdAt" label="Created">
            <DateField source="createdAt" options={compactDateOptions} />
          </DataTable.Col>
          <DataTable.Col label="" disableSort>
            <DeactivateUserButton />
          </DataTable.Col>
        </DataTable>
      </List>
    </AdminOnly>
  );
}
