import { useLazyQuery } from '@apollo/client';
import { Alert, Box, Button, TextField as MuiTextField } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { cleanDocument, type PolicyDocument } from './policyRecord';
import { validatePolicyQuery } from './policyQueries';

const pretty = (document: PolicyDocument | undefined) => JSON.stringify(cleanDocument(document ?? { name: '', scope: {} }), null, 2);

function syntaxErrorOf(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (parseError) {
    return (parseError as Error).message;
  }
}

/** Whether the text, parsed, is the same document (a text that does not parse says nothing). */
function saysTheSame(text: string, document: PolicyDocument | undefined): boolean {
  try {
    return pretty(JSON.parse(text) as PolicyDocument) === pretty(document);
  } catch {
    return false;
  }
}

/**
 * The whole document as JSON, the same state as the section forms: a valid edit here updates them, an edit there
 * shows here. "Check" asks the server to validate the draft without saving it (every bad field named).
 */
export function PolicyJsonEditor() {
  const { setValue } = useFormContext();
  const document = useWatch({ name: 'document' }) as PolicyDocument | undefined;
  const [text, setText] = useState(() => pretty(document));
  const syntaxError = useMemo(() => syntaxErrorOf(text), [text]);
  const [check, { data, error, loading }] = useLazyQuery(validatePolicyQuery, { fetchPolicy: 'network-only' });

  // The text is rewritten only when the document changed elsewhere (a section form), never because the user's own
  // edit came back: reformatting on blur re-laid the page under a click on Save, which then missed the button.
  useEffect(() => {
    setText(current => (saysTheSame(current, document) ? current : pretty(document)));
  }, [document]);

  const change = (next: string) => {
    setText(next);
    if (syntaxErrorOf(next) === null) setValue('document', JSON.parse(next) as PolicyDocument, { shouldDirty: true });
  };

  const problems = data?.validatePolicy.problems ?? [];
  return (
    <Box sx={{ width: '100%' }}>
      <MuiTextField
        multiline
        fullWidth
        minRows={16}
        value={text}
        onChange={event => change(event.target.value)}
        inputProps={{ 'data-testid': 'policy-json', spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } }}
        error={syntaxError !== null}
        helperText={syntaxError ?? 'The policy document (README: "The policy document"). Saved as a new version only when it changed.'}
      />
      <Button sx={{ mt: 1 }} variant="outlined" disabled={loading || syntaxError !== null} onClick={() => void check({ variables: { document: cleanDocument(document ?? { name: '', scope: {} }) } })}>
        Check
      </Button>
      {error && <Alert severity="error" sx={{ mt: 1 }}>{error.message}</Alert>}
      {data && problems.length === 0 && (
        <Alert severity="success" sx={{ mt: 1 }} data-testid="policy-check-ok">
          The document is valid.
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1 }} data-testid="policy-problems">
          {problems.map(problem => (
            <div key={`${problem.field}:${problem.message}`}>
              <code>{problem.field || '(document)'}</code>: {problem.message}
            </div>
          ))}
        </Alert>
      )}
    </Box>
  );
}
