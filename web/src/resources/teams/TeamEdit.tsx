import { Edit } from 'react-admin';
import { AdminOnly } from '../AdminOnly';
import { TeamForm } from './TeamForm';

// The record's `parent` is the parent's name as it was; the form edits parentId, which the server reads instead.
const toUpdateArguments = (data: Record<string, unknown>) => ({ ...data, parent: undefined, parentId: data.parentId ?? '' });

export function TeamEdit() {
  return (
    <AdminOnly what="Teams">
      <Edit title="Team" redirect="list" mutationMode="pessimistic" transform={toUpdateArguments}>
        <TeamForm editing />
      </Edit>
    </AdminOnly>
  );
}
