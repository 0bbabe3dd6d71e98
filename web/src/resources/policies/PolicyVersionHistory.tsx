import { useQuery } from '@apollo/client';
import { Alert, Box, Chip, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField as MuiTextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useRecordContext } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { lineDiff } from './lineDiff';
import { policyVersionsQuery, type PolicyVersion } from './policyQueries';
import type { PolicyRecord } from './policyRecord';

const when = (iso: string) => new Date(iso).toLocaleString('en-US', { ...compactDateTimeOptions, year: 'numeric' });
const text = (version: PolicyVersion | undefined) => (version ? JSON.stringify(version.document, null, 2) : '');

/** Every version of the policy (who wrote it, when) and a line diff between any two of them. */
export function PolicyVersionHistory() {
  const policy = useRecordContext<PolicyRecord>();
  const { data, error } = useQuery(policyVersionsQuery, { variables: { id: policy?.id ?? '' }, skip: !policy, fetchPolicy: 'network-only' });
  const versions = data?.Policy?.versions ?? [];
  const latest = versions.at(-1)?.version ?? 0;
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  useEffect(() => {
    setTo(latest);
    setFrom(Math.max(1, latest - 1));
  }, [latest]);
  if (error) return <Alert severity="error">The policy's history could not be read: {error.message}</Alert>;
  if (!data) return null;
  const diff = lineDiff(text(versions.find(version => version.version === from)), text(versions.find(version => version.version === to)));
  const changed = diff.filter(line => line.kind !== 'same').length;
  const pick = (label: string, value: number, set: (version: number) => void, testId: string) => (
    <MuiTextField select size="small" label={label} value={value || ''} onChange={event => set(Number(event.target.value))} sx={{ minWidth: 120 }} inputProps={{ 'data-testid': testId }}>
      {versions.map(version => (
        <MenuItem key={version.version} value={version.version}>
          v{version.version}
        </MenuItem>
      ))}
    </MuiTextField>
  );
  return (
    <Box sx={{ width: '100%' }}>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        Versions
      </Typography>
      <Table size="small" data-testid="policy-versions">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>Written</TableCell>
            <TableCell>By</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {[...versions].reverse().map(version => (
            <TableRow key={version.version} data-testid="policy-version-row">
              <TableCell>v{version.version}</TableCell>
              <TableCell>{when(version.createdAt)}</TableCell>
              <TableCell>{version.createdBy}</TableCell>
              <TableCell>
                {version.deleted && <Chip size="small" label="deleted" />}
                {version.version === latest && !version.deleted && <Chip size="small" color="success" label="current" />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {versions.length > 1 && (
        <>
          <Stack direction="row" spacing={2} alignItems="center" sx={{ mt: 2, mb: 1 }}>
            <Typography variant="subtitle2">Compare</Typography>
            {pick('from', from, setFrom, 'policy-diff-from')}
            {pick('to', to, setTo, 'policy-diff-to')}
            <Typography variant="body2" color="text.secondary">
              {changed === 0 ? 'no difference' : `${changed} line(s) changed`}
            </Typography>
          </Stack>
          <Box component="pre" data-testid="policy-diff" sx={{ fontFamily: 'monospace', fontSize: 12, m: 0, p: 1, bgcolor: 'action.hover', overflowX: 'auto' }}>
            {diff.map((line, index) => (
              <Box
                key={index}
                component="div"
                data-diff={line.kind}
                sx={{ color: line.kind === 'added' ? 'success.main' : line.kind === 'removed' ? 'error.main' : 'text.secondary', whiteSpace: 'pre' }}
              >
                {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                {line.text}
              </Box>
            ))}
          </Box>
        </>
      )}
    </Box>
  );
}
