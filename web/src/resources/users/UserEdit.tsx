import { Edit } from 'react-admin';
import { AdminOnly } from '../AdminOnly';
import { UserForm } from './UserForm';

// The record's `teams` are names as they were; the form edits teamIds, which the server reads when `teams` is absent.
const toUpdateArguments = (data: Record<string, unknown>) => ({ ...data, teams: undefined, teamIds: data.teamIds ?? [] });

export function UserEdit() {
  return (
    <AdminOnly what="Users">
      <Edit title="User" redirect="list" mutationMode="pessimistic" transform={toUpdateArguments}>
        <UserForm editing />
      </Edit>
    </AdminOnly>
  );
}

