import { useLazyQuery } from '@apollo/client';
import { Alert, Box, Button, TextField as MuiTextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { cleanDocument, type PolicyDocument } from './policyRecord';
import { validatePolicyQuery } from './policyQueries';

const pretty = (document: PolicyDocument | undefined) => JSON.stringify(cleanDocument(document ?? { name: '', scope: {} }), null, 2);

/**
 * The whole document as JSON, the same state as the section forms: a valid edit here updates them, an edit there
 * shows here. "Check" asks the server to validate the draft without saving it (every bad field named).
 */
export function PolicyJsonEditor() {
  const { setValue } = useFormContext();
  const document = useWatch({ name: 'document' }) as PolicyDocument | undefined;
  const [text, setText] = useState(() => pretty(document));
  const [editing, setEditing] = useState(false);
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const [check, { data, error, loading }] = useLazyQuery(validatePolicyQuery, { fetchPolicy: 'network-only' });

  useEffect(() => {
    if (!editing) setText(pretty(document));
  }, [document, editing]);

  const change = (next: string) => {
    setText(next);
    try {
      const parsed = JSON.parse(next) as PolicyDocument;
      setSyntaxError(null);
      setValue('document', parsed, { shouldDirty: true });
    } catch (parseError) {
      setSyntaxError((parseError as Error).message);
    }
  };

  const problems = data?.validatePolicy.problems ?? [];
  return (
    <Box sx={{ width: '100%' }}>
      <MuiTextField
        multiline
        fullWidth
        minRows={16}
        value={text}
        onFocus={() => setEditing(true)}
        onBlur={() => setEditing(false)}
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
