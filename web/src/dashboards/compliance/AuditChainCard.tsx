import { Alert, Button, Card, CardContent, Typography } from '@mui/material';
import { useState } from 'react';
import { useApolloClient } from '@apollo/client';
import { verifyAuditChainQuery, type ChainStatus } from '../../dataProvider/complianceQueries';
import { formatCount } from '../../format';
import { formatInstant } from './complianceFormat';

/** The audit chain as last verified, and the action that walks it again (itself recorded as audit.verify). */
export function AuditChainCard({ status }: { status: ChainStatus }) {
  const client = useApolloClient();
  const [verified, setVerified] = useState<ChainStatus | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = verified ?? status;
  const verify = async () => {
    setVerifying(true);
    setError(null);
    try {
      const answer = await client.query({ query: verifyAuditChainQuery, fetchPolicy: 'network-only' });
      setVerified(answer.data.verifyAuditChain);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setVerifying(false);
    }
  };
  return (
    <Card data-testid="compliance-audit-chain" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Audit log integrity
        </Typography>
        <Alert severity={shown.valid ? 'success' : 'error'} data-testid="audit-chain-status">
          {shown.valid
            ? `Chain intact: ${formatCount(shown.checkedRows)} entries verified`
            : `Chain broken at entry ${shown.firstBrokenSequence ?? '?'}${shown.reason ? `: ${shown.reason}` : ''}`}{' '}
          ({formatInstant(shown.verifiedAt)})
        </Alert>
        {error && <Alert severity="error">{error}</Alert>}
        <Button sx={{ mt: 1 }} variant="outlined" onClick={() => void verify()} disabled={verifying} data-testid="verify-chain">
          {verifying ? 'Verifying…' : 'Verify chain'}
        </Button>
      </CardContent>
    </Card>
  );
}
