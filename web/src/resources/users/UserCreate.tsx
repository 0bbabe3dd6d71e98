import { Create } from 'react-admin';
import { AdminOnly } from '../AdminOnly';
import { UserForm } from './UserForm';

// createUser takes the teams as `teams` (ids or names).
const toCreateArguments = (data: Record<string, unknown>) => ({ ...data, teams: data.teamIds ?? [] });

export function UserCreate() {
  return (
    <AdminOnly what="Users">
      <Create title="New user" redirect="list" transform={toCreateArguments}>
        <UserForm />
      </Create>
    </AdminOnly>
  );
}
