import { gql, useMutation } from '@apollo/client';
import BlockIcon from '@mui/icons-material/Block';
import { useState } from 'react';
import { Button, Confirm, useNotify, useRecordContext, useRefresh } from 'react-admin';

const revokeApiKeyMutation = gql`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt active }
  }
`;

interface ApiKeyRecord {
  id: string;
  name: string;
  revokedAt: string | null;
}

/** Revokes after a confirmation; the key is refused from that moment. */
export function RevokeApiKeyButton() {
  const key = useRecordContext<ApiKeyRecord>();
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const [revoke, { loading }] = useMutation(revokeApiKeyMutation);
  if (!key || key.revokedAt) return null;
  const confirm = async () => {
    try {
      await revoke({ variables: { id: key.id } });
      notify(`Key "${key.name}" is revoked`, { type: 'info' });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setOpen(false);
    }
  };
  // Inside a list row: clicks (the dialog's too, through React's portal) must not reach the row.
  return (
    <span onClick={(event) => event.stopPropagation()}>
      <Button label="Revoke" color="error" onClick={() => setOpen(true)} disabled={loading} data-testid="revoke-api-key">
        <BlockIcon />
      </Button>
      <Confirm
        isOpen={open}
        title={`Revoke "${key.name}"?`}
        content="Anything using this key is refused from now on. This cannot be undone."
        onConfirm={() => void confirm()}
        onClose={() => setOpen(false)}
      />
    </span>
  );
}
