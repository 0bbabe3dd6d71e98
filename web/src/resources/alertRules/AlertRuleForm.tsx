import {
  AutocompleteArrayInput,
  BooleanInput,
  FormDataConsumer,
  NumberInput,
  ReferenceArrayInput,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
} from 'react-admin';
import { alertKindChoices, kindParams, kindScopes, type AlertKind } from './alertRuleRecord';

const formatPercents = (value: unknown) => (Array.isArray(value) ? value.join(', ') : ((value as string | undefined) ?? ''));

/** The chosen kind's parameters and scope; the server fills in defaults and names every bad value. */
function KindInputs({ kind }: { kind?: AlertKind }) {
  if (!kind || !kindParams[kind]) return null;
  return (
    <>
      {kindScopes[kind].team && <TextInput source="team" helperText="Only this team (empty: every team)" />}
      {kindScopes[kind].node && <TextInput source="node" helperText="Only this node (empty: every node)" />}
      {kindParams[kind].map(field => {
        const source = `params.${field.name}`;
        if (field.type === 'boolean') return <BooleanInput key={source} source={source} label={field.label} helperText={field.helperText} defaultValue={true} />;
        if (field.type === 'number') return <NumberInput key={source} source={source} label={field.label} helperText={field.helperText} />;
        if (field.type === 'percents') return <TextInput key={source} source={source} label={field.label} helperText={field.helperText} format={formatPercents} />;
        return <TextInput key={source} source={source} label={field.label} helperText={field.helperText} />;
      })}
    </>
  );
}

export function AlertRuleForm() {
  return (
    <SimpleForm defaultValues={{ kind: 'budget_burn', enabled: true, params: {}, channelIds: [] }}>
      <TextInput source="name" validate={required()} />
      <SelectInput source="kind" choices={alertKindChoices} validate={required()} />
      <BooleanInput source="enabled" />
      <ReferenceArrayInput source="channelIds" reference="alertChannels" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteArrayInput label="Notify channels" optionText="name" />
      </ReferenceArrayInput>
      <FormDataConsumer<{ kind?: AlertKind }>>{({ formData }) => <KindInputs kind={formData.kind} />}</FormDataConsumer>
    </SimpleForm>
  );
}
