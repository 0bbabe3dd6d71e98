import { AutocompleteInput, ReferenceInput, SimpleForm, TextInput, regex, required } from 'react-admin';

const teamName = [required(), regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Lower-case letters, digits, "-" or "_", starting with a letter or digit')];

/** `editing`: the name is fixed once created (events carry it), so it is shown but not editable. */
export function TeamForm({ editing = false }: { editing?: boolean }) {
  return (
    <SimpleForm>
      <TextInput source="name" validate={editing ? undefined : teamName} disabled={editing} helperText="What request events, scores and policies call the team" />
      <TextInput source="displayName" label="Display name" />
      <ReferenceInput source="parentId" reference="teams" label="Parent team" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteInput optionText="name" label="Parent team" filterToQuery={(q) => ({ q })} />
      </ReferenceInput>
    </SimpleForm>
  );
}
