import { useMutation, type DocumentNode } from '@apollo/client';
import BlockIcon from '@mui/icons-material/Block';
import { useState } from 'react';
import { Button, Confirm, useNotify, useRefresh } from 'react-admin';

interface ConfirmMutationButtonProps {
  /** A mutation whose one variable is the record's `$id`. */
  mutation: DocumentNode;
  id: string;
  label: string;
  testId: string;
  /** The confirmation dialog's title and text. */
  title: string;
  content: string;
  /** Shown once the mutation succeeded; the list is refreshed then. */
  doneMessage: string;
}

/** A destructive action on one record of a list, run only after a confirmation; a failure is shown as its message. */
export function ConfirmMutationButton({ mutation, id, label, testId, title, content, doneMessage }: ConfirmMutationButtonProps) {
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const [run, { loading }] = useMutation(mutation);
  const confirm = async () => {
    try {
      await run({ variables: { id } });
      notify(doneMessage, { type: 'info' });
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
      <Button label={label} color="error" onClick={() => setOpen(true)} disabled={loading} data-testid={testId}>
        <BlockIcon />
      </Button>
      <Confirm isOpen={open} title={title} content={content} onConfirm={() => void confirm()} onClose={() => setOpen(false)} />
    </span>
  );
}
