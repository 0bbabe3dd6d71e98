import { gql, useMutation } from '@apollo/client';
import BlockIcon from '@mui/icons-material/Block';
import { useState } from 'react';
import { Button, Confirm, useNotify, useRecordContext, useRefresh } from 'react-admin';

const deactivateUserMutation = gql`
  mutation DeactivateUser($id: ID!) {
    deactivateUser(id: $id) { id active deactivatedAt }
  }
`;

interface UserRecord {
  id: string;
  email: string;
  active: boolean;
}

/** Deactivates after a confirmation: the user cannot sign in, and their open sessions end at once. */
export function DeactivateUserButton() {
  const user = useRecordContext<UserRecord>();
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const [deactivate, { loading }] = useMutation(deactivateUserMutation);
  if (!user || !user.active) return null;
  const confirm = async () => {
    try {
      await deactivate({ variables: { id: user.id } });
      notify(`${user.email} is deactivated; their sessions have ended`, { type: 'info' });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setOpen(false);
    }
  };
  // Inside a list row: clicks (the dialog's too, through React's portal) must not open the row.
  return (
    <span onClick={(event) => event.stopPropagation()}>
      <Button label="Deactivate" color="error" onClick={() => setOpen(true)} disabled={loading} data-testid="deactivate-user">
        <BlockIcon />
      </Button>
      <Confirm
        isOpen={open}
        title={`Deactivate ${user.email}?`}
        content="They will not be able to sign in, and every session of theirs ends now."
        onConfirm={() => void confirm()}
        onClose={() => setOpen(false)}
      />
    </span>
  );
}
