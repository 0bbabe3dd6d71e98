import { useMutation } from '@apollo/client';
import { gql, type TypedDocumentNode } from '@apollo/client';
import {
  BooleanField,
  BooleanInput,
  Button,
  Create,
  DataTable,
  DateField,
  Edit,
  List,
  PasswordInput,
  SelectField,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
  useNotify,
  useRecordContext,
} from 'react-admin';
import { compactDateOptions } from '../../format';

// A channel as the GraphQL `AlertChannel` type returns it: the URL and the secret never come back.
export interface AlertChannelRecord {
  id: string;
  name: string;
  kind: 'webhook' | 'slack';
  urlPreview: string;
  hasSecret: boolean;
  enabled: boolean;
}

export const channelKindChoices = [
  { id: 'webhook', name: 'Webhook (generic JSON)' },
  { id: 'slack', name: 'Slack incoming webhook' },
];

const testChannelMutation: TypedDocumentNode<{ testAlertChannel: { ok: boolean; statusCode: number | null; error: string | null } }, { id: string }> = gql`
  mutation TestAlertChannel($id: ID!) {
    testAlertChannel(id: $id) {
      ok
      statusCode
      error
    }
  }
`;

/** Sends the channel one test message and says how it went. */
export function TestChannelButton() {
  const channel = useRecordContext<AlertChannelRecord>();
  const notify = useNotify();
  const [testChannel, { loading }] = useMutation(testChannelMutation);
  if (!channel) return null;
  const run = async (event: React.MouseEvent) => {
    event.stopPropagation();
    try {
      const { data } = await testChannel({ variables: { id: channel.id } });
      const answer = data?.testAlertChannel;
      if (answer?.ok) notify(`Test message delivered to ${channel.name} (HTTP ${answer.statusCode})`, { type: 'success' });
      else notify(`Test message to ${channel.name} failed: ${answer?.error ?? 'unknown error'}`, { type: 'error' });
    } catch (error) {
      notify(`Test failed: ${error instanceof Error ? error.message : String(error)}`, { type: 'error' });
    }
  };
  return <Button label="Send test" onClick={event => void run(event)} disabled={loading} />;
}

export function AlertChannelList() {
  return (
    <List title="Alert channels" sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="edit" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" />
        <DataTable.Col source="kind">
          <SelectField source="kind" choices={channelKindChoices} />
        </DataTable.Col>
        <DataTable.Col source="urlPreview" label="URL" disableSort />
        <DataTable.Col source="hasSecret" label="Signed" disableSort>
          <BooleanField source="hasSecret" />
        </DataTable.Col>
        <DataTable.Col source="enabled">
          <BooleanField source="enabled" />
        </DataTable.Col>
        <DataTable.Col source="updatedAt" label="Updated">
          <DateField source="updatedAt" options={compactDateOptions} />
        </DataTable.Col>
        <DataTable.Col label="" disableSort>
          <TestChannelButton />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

function ChannelForm({ editing }: { editing: boolean }) {
  return (
    <SimpleForm defaultValues={{ kind: 'webhook', enabled: true }}>
      <TextInput source="name" validate={required()} />
      <SelectInput source="kind" choices={channelKindChoices} validate={required()} />
      <TextInput
        source="url"
        label="URL"
        fullWidth
        validate={editing ? undefined : required()}
        helperText={editing ? 'Write-only: leave empty to keep the stored URL' : 'http:// or https://; a Slack URL is a credential and is never shown again'}
      />
      <PasswordInput source="secret" helperText="Webhook only, optional: signs each body (x-warden-signature: sha256=HMAC). Write-only." />
      <BooleanInput source="enabled" />
      {editing && <TestChannelButton />}
    </SimpleForm>
  );
}

export function AlertChannelCreate() {
  return (
    <Create title="New alert channel" redirect="list">
      <ChannelForm editing={false} />
    </Create>
  );
}

export function AlertChannelEdit() {
  return (
    <Edit title="Alert channel" redirect="list" mutationMode="pessimistic">
      <ChannelForm editing />
    </Edit>
  );
}
