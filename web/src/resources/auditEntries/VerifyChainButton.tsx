import { useLazyQuery } from '@apollo/client';
import VerifiedIcon from '@mui/icons-material/VerifiedUser';
import { Alert, Box, Button, CircularProgress } from '@mui/material';
import { useEffect } from 'react';
import { useRefresh } from 'react-admin';
import { verifyAuditChainQuery } from './auditQueries';

/** Walks the chain on the server and shows the result; the list then refreshes to show the audit.verify entry. */
export function VerifyChainButton() {
  const [verify, { data, error, loading }] = useLazyQuery(verifyAuditChainQuery, { fetchPolicy: 'network-only' });
  const refresh = useRefresh();
  const result = data?.verifyAuditChain;
  useEffect(() => {
    if (result) refresh();
  }, [result, refresh]);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 1 }}>
      <Button size="small" startIcon={loading ? <CircularProgress size={16} /> : <VerifiedIcon />} disabled={loading} onClick={() => void verify()} data-testid="audit-verify">
        Verify chain
      </Button>
      {error && (
        <Alert severity="error" data-testid="audit-verify-result">
          The chain could not be verified: {error.message}
        </Alert>
      )}
      {result && !loading && (
        <Alert severity={result.valid ? 'success' : 'error'} data-testid="audit-verify-result" data-valid={String(result.valid)}>
          {result.valid
            ? `Chain valid: ${result.checkedRows} row(s) verified, every hash recomputed (${new Date(result.verifiedAt).toLocaleString()}).`
            : `Chain broken at sequence ${result.firstBrokenSequence}${result.firstBrokenId ? ` (id ${result.firstBrokenId})` : ''}: ${result.reason ?? ''} ${result.checkedRows} row(s) before it verified.`}
        </Alert>
      )}
    </Box>
  );
}
