import {
  Alert,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@apollo/client';
import { useEffect, useMemo, useState } from 'react';
import { Title } from 'react-admin';
import { readToken } from '../../authProvider/session';
import { createExportMutation, exportsQuery, type ExportKind, type ExportRecord } from '../../dataProvider/complianceQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatCount } from '../../format';
import { localDate } from '../period';
import { formatBytes, formatInstant } from './complianceFormat';

const kinds: Array<{ kind: ExportKind; label: string }> = [
  { kind: 'REPORT', label: 'Compliance report (HTML)' },
  { kind: 'REQUESTS', label: 'Requests (CSV)' },
  { kind: 'DECISIONS', label: 'Policy decisions (CSV)' },
  { kind: 'AUDIT', label: 'Audit log with chain verification (CSV)' },
];

/** Downloads with the session's token (the file route wants it), saved under the export's own file name. */
async function download(row: ExportRecord): Promise<void> {
  const response = await fetch(row.downloadUrl!, { headers: { authorization: `Bearer ${readToken() ?? ''}` } });
  if (!response.ok) throw new Error(`The download failed: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = row.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Auditor exports: create one for a period and teams, follow its progress, download it once written. */
export function ExportsPage() {
  const today = new Date();
  const [kind, setKind] = useState<ExportKind>('REPORT');
  const [from, setFrom] = useState(localDate(new Date(today.getTime() - 30 * 86_400_000)));
  const [to, setTo] = useState(localDate(today));
  const [teams, setTeams] = useState('');
  const [includeContent, setIncludeContent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const variables = useMemo(() => ({ perPage: 50 }), []);
  const { data, refetch, startPolling, stopPolling } = useAnalyticsQuery(exportsQuery, variables);
  // Followed every second while an export is being written, not otherwise.
  const running = (data?.allExports ?? []).some(row => row.state === 'queued' || row.state === 'running');
  useEffect(() => {
    if (running) startPolling(1000);
    else stopPolling();
  }, [running, startPolling, stopPolling]);
  const [create, creating] = useMutation(createExportMutation);

  const submit = async () => {
    setError(null);
    try {
      const end = new Date(`${to}T00:00:00`);
      end.setDate(end.getDate() + 1);
      await create({
        variables: {
          kind,
          from: new Date(`${from}T00:00:00`).toISOString(),
          to: end.toISOString(),
          teams: teams.trim() === '' ? null : teams.split(',').map(team => team.trim()).filter(Boolean),
          includeContent: kind === 'REQUESTS' ? includeContent : null,
        },
      });
      await refetch();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="exports">
      <Title title="Exports" />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            New export
          </Typography>
          <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
            <TextField select size="small" label="Export" value={kind} onChange={event => setKind(event.target.value as ExportKind)} sx={{ width: 320 }} slotProps={{ htmlInput: { 'data-testid': 'export-kind' } }}>
              {kinds.map(option => (
                <MenuItem key={option.kind} value={option.kind}>
                  {option.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField size="small" type="date" label="From" value={from} onChange={event => setFrom(event.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
            <TextField size="small" type="date" label="To (inclusive)" value={to} onChange={event => setTo(event.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
            <TextField size="small" label="Teams (comma-separated, empty: all)" value={teams} onChange={event => setTeams(event.target.value)} sx={{ width: 300 }} />
            {kind === 'REQUESTS' && (
              <FormControlLabel control={<Checkbox checked={includeContent} onChange={event => setIncludeContent(event.target.checked)} />} label="Include prompts and completions" />
            )}
            <Button variant="contained" onClick={() => void submit()} disabled={creating.loading || from === '' || to === '' || from > to} data-testid="create-export">
              Create export
            </Button>
          </Stack>
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Exports
          </Typography>
          {(data?.allExports ?? []).length === 0 ? (
            <Typography color="text.secondary">No export yet.</Typography>
          ) : (
            <Table size="small" data-testid="exports-table">
              <TableHead>
                <TableRow>
                  <TableCell>Created</TableCell>
                  <TableCell>Export</TableCell>
                  <TableCell>Period</TableCell>
                  <TableCell>Teams</TableCell>
                  <TableCell>By</TableCell>
                  <TableCell sx={{ width: 200 }}>State</TableCell>
                  <TableCell align="right">Rows</TableCell>
                  <TableCell align="right">Size</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {data!.allExports.map(row => (
                  <TableRow key={row.id} data-testid={`export-${row.state}`}>
                    <TableCell>{formatInstant(row.createdAt)}</TableCell>
                    <TableCell>
                      {kinds.find(option => option.kind === row.kind)?.label ?? row.kind}
                      {row.includeContent ? ', with content' : ''}
                    </TableCell>
                    <TableCell>
                      {formatInstant(row.from)} – {formatInstant(row.to)}
                    </TableCell>
                    <TableCell>{row.teams.length === 0 ? 'all' : row.teams.join(', ')}</TableCell>
                    <TableCell>{row.requestedBy}</TableCell>
                    <TableCell>
                      {row.state === 'failed' ? (
                        <Typography color="error" variant="body2">
                          failed: {row.error}
                        </Typography>
                      ) : row.state === 'completed' ? (
                        row.chainVerification ? `completed (chain ${row.chainVerification.valid ? 'intact' : 'BROKEN'})` : 'completed'
                      ) : (
                        <>
                          {row.state} {Math.round(row.progress)} %
                          <LinearProgress variant="determinate" value={row.progress} />
                        </>
                      )}
                    </TableCell>
                    <TableCell align="right">{formatCount(row.rows)}</TableCell>
                    <TableCell align="right">{formatBytes(row.bytes)}</TableCell>
                    <TableCell align="right">
                      {row.downloadUrl && (
                        <Button size="small" onClick={() => void download(row).catch(failure => setError(failure instanceof Error ? failure.message : String(failure)))} data-testid="download-export">
                          Download
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}
