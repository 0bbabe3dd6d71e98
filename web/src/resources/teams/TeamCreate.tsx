import { Create } from 'react-admin';
import { AdminOnly } from '../AdminOnly';
import { TeamForm } from './TeamForm';

// createTeam takes the parent as `parent` (id or name).
const toCreateArguments = (data: Record<string, unknown>) => ({ ...data, parent: data.parentId ?? undefined });

export function TeamCreate() {
  return (
    <AdminOnly what="Teams">
      <Create title="New team" redirect="list" transform={toCreateArguments}>
        <TeamForm />
      </Create>
    </AdminOnly>
  );
}
