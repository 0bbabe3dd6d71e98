import { AutocompleteArrayInput, PasswordInput, ReferenceArrayInput, SelectInput, SimpleForm, TextInput, email, minLength, required } from 'react-admin';
import { roleChoices } from './userChoices';

/** `editing`: the email is fixed, and an empty password leaves the current one. */
export function UserForm({ editing = false }: { editing?: boolean }) {
  return (
    <SimpleForm>
      <TextInput source="email" validate={editing ? undefined : [required(), email()]} disabled={editing} />
      <TextInput source="name" validate={editing ? undefined : required()} />
      <SelectInput source="role" choices={roleChoices} validate={required()} />
      <ReferenceArrayInput source="teamIds" reference="teams" label="Teams" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteArrayInput optionText="name" label="Teams" filterToQuery={(q) => ({ q })} />
      </ReferenceArrayInput>
      <PasswordInput
        source="password"
        validate={editing ? minLength(8) : [required(), minLength(8)]}
        helperText={editing ? 'Leave empty to keep the current password; a new one ends the user\u2019s sessions' : '8 characters or more'}
        autoComplete="new-password"
      />
    </SimpleForm>
  );
}
