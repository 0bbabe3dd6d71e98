import { Alert, Card, CardContent, Chip, Link, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-admin';
import { worstRequestsQuery, type EvaluationFilter, type ScoreDistribution } from '../../dataProvider/evaluationsQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { compactDateTimeOptions } from '../../format';
import type { Period } from '../period';
import { formatScoreValue, requestShowLink } from './evaluationFormat';
import { ScoreDistributionChart } from './ScoreDistributionChart';

interface WorstRequestsCardProps {
  period: Period;
  filter: EvaluationFilter;
  distributions: readonly ScoreDistribution[];
}

const preferredScore = 'hhem-2.1';

/** For one score name: its distribution, and the requests it judged worst, each a link to the request itself. */
export function WorstRequestsCard({ period, filter, distributions }: WorstRequestsCardProps) {
  const names = distributions.map(distribution => distribution.name);
  const [chosen, setChosen] = useState<string>('');
  const name = names.includes(chosen) ? chosen : names.includes(preferredScore) ? preferredScore : (names[0] ?? '');
  const variables = useMemo(() => ({ from: period.from.toISOString(), to: period.to.toISOString(), name, filter }), [period, name, filter]);
  const { data, error } = useAnalyticsQuery(worstRequestsQuery, variables, { skip: name === '' });
  const distribution = distributions.find(candidate => candidate.name === name);
  const direction = distribution?.direction === 'lower_is_better' ? 'highest' : 'lowest';
  return (
    <Card data-testid="worst-requests">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Stack direction="row" spacing={2} alignItems="center" sx={{ mb: 1 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>
            Worst scored requests
          </Typography>
          <TextField
            select
            size="small"
            label="Score"
            value={name}
            onChange={event => setChosen(event.target.value)}
            sx={{ width: 240 }}
            slotProps={{ htmlInput: { 'data-testid': 'worst-score-name' } }}
          >
            {names.map(option => (
              <MenuItem key={option} value={option}>
                {option}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        {distribution && <ScoreDistributionChart distribution={distribution} />}
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Flagged requests first, then the {direction} values of {name}; the latest score per request counts.
        </Typography>
        {error && <Alert severity="error">{error.message}</Alert>}
        <Table size="small" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Request</TableCell>
              <TableCell>Time</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>Model</TableCell>
              <TableCell align="right">Score</TableCell>
              <TableCell>Verdict</TableCell>
              <TableCell>Comment</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {(data?.worstScoredRequests ?? []).map(row => (
              <TableRow key={`${row.team}/${row.requestId}`}>
                <TableCell>
                  <Link component={RouterLink} to={requestShowLink(row.requestId)}>
                    {row.requestId}
                  </Link>
                </TableCell>
                <TableCell>{new Date(row.timestamp).toLocaleString('en-US', compactDateTimeOptions)}</TableCell>
                <TableCell>{row.team}</TableCell>
                <TableCell>{row.model}</TableCell>
                <TableCell align="right">{formatScoreValue(row)}</TableCell>
                <TableCell>
                  {row.hallucinated === null ? '—' : <Chip size="small" label={row.hallucinated ? 'hallucinated' : 'ok'} color={row.hallucinated ? 'warning' : 'success'} />}
                </TableCell>
                <TableCell sx={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis' }} title={row.comment}>
                  {row.comment}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
