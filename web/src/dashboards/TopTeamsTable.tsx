import { Card, CardContent, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { TopTeamRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatUsd } from '../format';
import type { Period } from './period';
import { requestListLink } from './requestListLink';
import { UnpricedFootnote } from './UnpricedFootnote';

const shownRows = 10;

export function TopTeamsTable({ rows, period }: { rows: readonly TopTeamRow[]; period: Period }) {
  const topRows = [...rows].sort((left, right) => right.costUsd - left.costUsd).slice(0, shownRows);
  return (
    <Card data-testid="top-teams" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Top teams
        </Typography>
        <Table size="small" sx={{ '& td[class*="alignRight"], & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Requests</TableCell>
              <TableCell align="right">Tokens in / out</TableCell>
              <TableCell align="right">Cost</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {topRows.map(row => (
              <TableRow key={row.team ?? ''}>
                <TableCell>
                  <Link component={RouterLink} to={requestListLink({ team: row.team ?? '' }, period)}>
                    {row.team}
                  </Link>
                </TableCell>
                <TableCell align="right">{formatCount(row.requests)}</TableCell>
                <TableCell align="right">
                  {formatCompact(row.inputTokens)} / {formatCompact(row.outputTokens)}
                </TableCell>
                <TableCell align="right">
                  {formatUsd(row.costUsd)}
                  {row.unpricedRequests > 0 && ' *'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {topRows.some(row => row.unpricedRequests > 0) && <UnpricedFootnote />}
      </CardContent>
    </Card>
  );
}
