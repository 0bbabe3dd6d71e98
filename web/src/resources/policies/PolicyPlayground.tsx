import { useLazyQuery } from '@apollo/client';
import { Alert, Box, Button, Chip, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { useState, type KeyboardEvent } from 'react';
import { cleanDocument, type PolicyDocument } from './policyRecord';
import { tryPolicyQuery } from './policyQueries';

// Enter in a single-line field would submit the surrounding form.
const keepEnter = (event: KeyboardEvent) => {
  if (event.key === 'Enter' && !(event.target instanceof HTMLTextAreaElement)) event.preventDefault();
};

/**
 * Tries a model name and a text against one policy on its own — the stored one (`policyId`) or the draft being
 * edited (`draft`) — through GraphQL: model allowed or not, the text as the policy redacts it, which quotas count.
 */
export function PolicyPlayground({ policyId, draft }: { policyId?: string; draft?: PolicyDocument }) {
  const [model, setModel] = useState('gpt-4o-mini');
  const [text, setText] = useState('Please summarise the claim from alice@example.com, phone +86 138 0013 8000.');
  const [tryIt, { data, error, loading }] = useLazyQuery(tryPolicyQuery, { fetchPolicy: 'network-only' });
  const run = () => void tryIt({ variables: { ...(draft ? { document: cleanDocument(draft) } : { id: policyId }), model, text } });
  const trial = data?.tryPolicy;
  return (
    <Box sx={{ width: '100%' }} onKeyDown={keepEnter}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {draft ? 'Tries the draft as edited (unsaved changes included).' : 'Tries the stored policy.'} This policy only, on its own: nothing is reserved or recorded.
      </Typography>
      <Stack spacing={2}>
        <MuiTextField label="Model" value={model} onChange={event => setModel(event.target.value)} inputProps={{ 'data-testid': 'playground-model' }} />
        <MuiTextField label="Text" value={text} onChange={event => setText(event.target.value)} multiline minRows={3} inputProps={{ 'data-testid': 'playground-text' }} />
        <Box>
          <Button variant="contained" onClick={run} disabled={loading} data-testid="playground-try">
            Try
          </Button>
        </Box>
      </Stack>
      {error && <Alert severity="error" sx={{ mt: 2 }}>{error.message}</Alert>}
      {trial && (
        <Box sx={{ mt: 2 }} data-testid="playground-result">
          <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
            <Chip color={trial.modelAllowed ? 'success' : 'error'} label={trial.modelAllowed ? `model ${model} allowed` : `model ${model} not allowed`} />
            <Chip label={`personal data: ${trial.piiAction}`} color={trial.blocked ? 'error' : trial.piiAction === 'allow' ? 'default' : 'warning'} />
            {trial.onPremisesOnly && <Chip color="warning" label="on-premises nodes only" />}
          </Stack>
          {trial.reason && (
            <Alert severity="error" sx={{ mb: 1 }} data-testid="playground-refusal">
              {trial.reason}: {trial.message}
            </Alert>
          )}
          <Typography variant="subtitle2">Text as sent and stored</Typography>
          <Box component="pre" data-testid="playground-redacted" sx={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', bgcolor: 'action.hover', p: 1, mt: 0.5 }}>
            {trial.text}
          </Box>
          <Typography variant="body2" color="text.secondary">
            {trial.findings.length === 0 ? 'No personal data found.' : `Found: ${trial.findings.map(finding => `${finding.detector} (${finding.start}–${finding.end})`).join(', ')}`}
          </Typography>
          {trial.quotas.length > 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              Quotas counting this model: {trial.quotas.filter(quota => quota.counts).map(quota => `${quota.name} (${quota.limit} ${quota.metric} per ${quota.period}, ${quota.enforcement})`).join('; ') || 'none'}
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}
