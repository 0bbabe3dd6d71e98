import { Card, CardContent, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { TopModelRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatMilliseconds, formatUsd } from '../format';
import type { Period } from './period';
import { requestListLink } from './requestListLink';
import { UnpricedFootnote } from './UnpricedFootnote';

const shownRows = 10;

export function TopModelsTable({ rows, period }: { rows: readonly TopModelRow[]; period: Period }) {
  const topRows = [...rows].sort((left, right) => right.costUsd - left.costUsd).slice(0, shownRows);
  return (
    <Card data-testid="top-models" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Top models
        </Typography>
        <Table size="small" sx={{ '& td[class*="alignRight"], & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Model</TableCell>
              <TableCell>Provider</TableCell>
              <TableCell align="right">Requests</TableCell>
              <TableCell align="right">Tokens in / out</TableCell>
              <TableCell align="right">p95</TableCell>
              <TableCell align="right">Cost</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {topRows.map(row => (
              <TableRow key={`${row.model}/${row.provider}`}>
                <TableCell>
                  <Link component={RouterLink} to={requestListLink({ model: row.model ?? '' }, period)}>
                    {row.model}
                  </Link>
                </TableCell>
                <TableCell>{row.provider}</TableCell>
                <TableCell align="right">{formatCount(row.requests)}</TableCell>
                <TableCell align="right">
                  {formatCompact(row.inputTokens)} / {formatCompact(row.outputTokens)}
                </TableCell>
                <TableCell align="right">{formatMilliseconds(row.latencyP95Ms)}</TableCell>
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
