import { gql, useMutation } from '@apollo/client';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Alert, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { useState } from 'react';
import {
  AutocompleteInput,
  CheckboxGroupInput,
  Create,
  DateTimeInput,
  ReferenceInput,
  SaveButton,
  SimpleForm,
  TextInput,
  Toolbar,
  required,
  useNotify,
  useRedirect,
} from 'react-admin';
import { AdminOnly } from '../AdminOnly';
import { scopeChoices } from './apiKeyChoices';

const createApiKeyMutation = gql`
  mutation CreateApiKey($name: String!, $team: String, $scopes: [String!]!, $expiresAt: DateTime) {
    createApiKey(name: $name, team: $team, scopes: $scopes, expiresAt: $expiresAt) {
      id
      name
      prefix
      team
      scopes
      expiresAt
      secret
    }
  }
`;

interface CreatedKey {
  id: string;
  name: string;
  team: string | null;
  scopes: string[];
  secret: string;
}

interface KeyForm {
  name: string;
  teamId?: string | null;
  scopes: string[];
  expiresAt?: string | Date | null;
}

const atLeastOneScope = (scopes: unknown) => (Array.isArray(scopes) && scopes.length > 0 ? undefined : 'Choose at least one scope');
const inTheFuture = (value: unknown) => (value && new Date(value as string).getTime() <= Date.now() ? 'Must be in the future' : undefined);

/** The secret, shown once: the server keeps only its hash. Closing the dialog forgets it. */
function SecretDialog({ created, onClose }: { created: CreatedKey; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(created.secret);
    setCopied(true);
  };
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="api-key-secret-dialog">
      <DialogTitle>Key "{created.name}" created</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <Alert severity="warning">Copy the secret now: it is shown this once and cannot be shown again.</Alert>
          <MuiTextField label="Secret" value={created.secret} fullWidth slotProps={{ input: { readOnly: true } }} inputProps={{ 'data-testid': 'api-key-secret' }} />
          <Typography variant="body2">
            {created.team ? `Team ${created.team}` : 'Organisation-level'} · scopes {created.scopes.join(', ')} · send as <code>Authorization: Bearer &lt;secret&gt;</code>
          </Typography>
        </Stack>
      </DialogContent>
      <DialogActions>
        <MuiButton startIcon={<ContentCopyIcon />} onClick={() => void copy()} data-testid="copy-api-key-secret">
          {copied ? 'Copied' : 'Copy'}
        </MuiButton>
        <MuiButton variant="contained" onClick={onClose} data-testid="close-api-key-secret">
          Done
        </MuiButton>
      </DialogActions>
    </Dialog>
  );
}

/** Creates a key through createApiKey directly (its answer carries the secret, which react-admin's cache must not keep). */
export function ApiKeyCreate() {
  const [createKey] = useMutation<{ createApiKey: CreatedKey }>(createApiKeyMutation);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const notify = useNotify();
  const redirect = useRedirect();
  const save = async (values: Partial<KeyForm>) => {
    try {
      const expiresAt = values.expiresAt ? new Date(values.expiresAt).toISOString() : null;
      const { data } = await createKey({ variables: { name: values.name, team: values.teamId || null, scopes: values.scopes ?? [], expiresAt } });
      if (data) setCreated(data.createApiKey);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    }
  };
  return (
    <AdminOnly what="API keys">
      <Create title="New API key">
        <SimpleForm onSubmit={(values: Record<string, unknown>) => void save(values as Partial<KeyForm>)} toolbar={<Toolbar><SaveButton label="Create key" /></Toolbar>}>
          <TextInput source="name" validate={required()} />
          <ReferenceInput source="teamId" reference="teams" label="Team" sort={{ field: 'name', order: 'ASC' }}>
            <AutocompleteInput optionText="name" label="Team (empty: organisation-level)" filterToQuery={(q) => ({ q })} />
          </ReferenceInput>
          <CheckboxGroupInput source="scopes" choices={scopeChoices} row={false} validate={atLeastOneScope} />
          <DateTimeInput source="expiresAt" label="Expires at (empty: never)" validate={inTheFuture} />
        </SimpleForm>
      </Create>
      {created && (
        <SecretDialog
          created={created}
          onClose={() => {
            setCreated(null);
            redirect('list', 'apiKeys');
          }}
        />
      )}
    </AdminOnly>
  );
}
