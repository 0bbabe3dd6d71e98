import { Alert, AlertTitle, Button } from '@mui/material';

interface QueryErrorAlertProps {
  title: string;
  message: string;
  onRetry: () => void;
  testId?: string;
}

/** A failed analytics query: what failed, the server's words, and a way to try again. Never an empty result. */
export function QueryErrorAlert({ title, message, onRetry, testId }: QueryErrorAlertProps) {
  return (
    <Alert
      severity="error"
      data-testid={testId}
      action={
        <Button color="inherit" size="small" onClick={onRetry}>
          Retry
        </Button>
      }
    >
      <AlertTitle>{title}</AlertTitle>
      {message}
    </Alert>
  );
}
