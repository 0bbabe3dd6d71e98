import { Alert, Button, Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { placeLegalHoldMutation, releaseLegalHoldMutation, type LegalHold } from '../../dataProvider/complianceQueries';
import { formatInstant } from './complianceFormat';

/** Legal holds in force (deletion suspended for the team), a form to place one, and release. */
export function LegalHoldsCard({ holds, onChanged }: { holds: LegalHold[]; onChanged: () => void }) {
  const [team, setTeam] = useState('');
  const [reason, setReason] = useState('');
  const [place, placing] = useMutation(placeLegalHoldMutation);
  const [release, releasing] = useMutation(releaseLegalHoldMutation);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <Card data-testid="legal-holds" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Legal holds
        </Typography>
        {holds.length === 0 ? (
          <Typography color="text.secondary">No legal hold in force: retention applies to every team.</Typography>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Team</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell>Placed</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {holds.map(hold => (
                <TableRow key={hold.id}>
                  <TableCell>{hold.team}</TableCell>
                  <TableCell>{hold.reason}</TableCell>
                  <TableCell>
                    {formatInstant(hold.placedAt)} by {hold.placedBy}
                  </TableCell>
                  <TableCell align="right">
                    <Button size="small" disabled={releasing.loading} onClick={() => void run(() => release({ variables: { id: hold.id } }))}>
                      Release
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Stack direction="row" spacing={1} sx={{ mt: 2 }} alignItems="center">
          <TextField size="small" label="Team" value={team} onChange={event => setTeam(event.target.value)} slotProps={{ htmlInput: { 'data-testid': 'hold-team' } }} />
          <TextField size="small" label="Reason" value={reason} onChange={event => setReason(event.target.value)} sx={{ flexGrow: 1 }} slotProps={{ htmlInput: { 'data-testid': 'hold-reason' } }} />
          <Button
            variant="contained"
            disabled={placing.loading || team.trim() === '' || reason.trim() === ''}
            onClick={() =>
              void run(async () => {
                await place({ variables: { team: team.trim(), reason: reason.trim() } });
                setTeam('');
                setReason('');
              })
            }
            data-testid="place-hold"
          >
            Place hold
          </Button>
        </Stack>
        {error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {error}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}
