import { Card, CardContent, Link, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { TopTeamRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatUsd } from '../format';
import type { Period } from './period';
import { requestListLink } from './requestListLink';
import { costTooltips } from './costTooltips';
import { UnpricedFootnote } from './UnpricedFootnote';

const shownRows = 10;

export function TopTeamsTable({ rows, period }: { rows: readonly TopTeamRow[]; period: Period }) {
  // Idle lines (owned nodes' idle hours) are part of the team's all-in total, not a team of their own.
  const topRows = [...rows].filter(row => !row.idle).sort((left, right) => Number(right.totalCostUsd) - Number(left.totalCostUsd)).slice(0, shownRows);
  const idleOf = (team: string | null) => rows.filter(row => row.idle && row.team === team).reduce((sum, row) => sum + Number(row.onPremCostUsd), 0);
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
              <Tooltip title={costTooltips.api}>
                <TableCell align="right">APIs</TableCell>
              </Tooltip>
              <Tooltip title={costTooltips.onPrem}>
                <TableCell align="right">Own GPUs</TableCell>
              </Tooltip>
              <Tooltip title={costTooltips.total}>
                <TableCell align="right">Total</TableCell>
              </Tooltip>
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
                <Tooltip title={idleOf(row.team) > 0 ? `${costTooltips.onPrem} Of which idle hours carried: ${formatUsd(idleOf(row.team))}.` : costTooltips.onPrem}>
                  <TableCell align="right">{formatUsd(Number(row.onPremCostUsd) + idleOf(row.team))}</TableCell>
                </Tooltip>
                <Tooltip title={row.estimated ? `${costTooltips.total} ${costTooltips.estimated}` : costTooltips.total}>
                  <TableCell align="right">{formatUsd(Number(row.totalCostUsd) + idleOf(row.team))}</TableCell>
                </Tooltip>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {topRows.some(row => row.unpricedRequests > 0) && <UnpricedFootnote />}
      </CardContent>
    </Card>
  );
}
