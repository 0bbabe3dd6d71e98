import { Box, Card, CardContent, LinearProgress, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { HallucinationRateRow } from '../../dataProvider/evaluationsQueries';
import { formatCount } from '../../format';
import type { Period } from '../period';
import { requestListLink } from '../requestListLink';
import { formatRate } from './evaluationFormat';

interface RateTableProps {
  title: string;
  testId: string;
  /** The group column: model or evaluator. */
  dimension: 'model' | 'evaluator';
  rows: readonly HallucinationRateRow[];
  period: Period;
}

/** One row per model or evaluator, highest rate first, with a bar to compare at a glance. */
export function RateTable({ title, testId, dimension, rows, period }: RateTableProps) {
  const sorted = [...rows].filter(row => row.scored > 0).sort((left, right) => (right.rate ?? 0) - (left.rate ?? 0));
  const highest = Math.max(0.0001, ...sorted.map(row => row.rate ?? 0));
  return (
    <Card data-testid={testId} sx={{ height: '100%' }}>
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6" gutterBottom>
          {title}
        </Typography>
        <Table size="small" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>{dimension === 'model' ? 'Model' : 'Evaluator'}</TableCell>
              <TableCell sx={{ width: '30%' }}>Rate</TableCell>
              <TableCell align="right">Hallucinated</TableCell>
              <TableCell align="right">Scored</TableCell>
              {dimension === 'model' && <TableCell align="right">Requests</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {sorted.map(row => {
              const name = (dimension === 'model' ? row.model : row.evaluator) ?? '';
              return (
                <TableRow key={name}>
                  <TableCell>
                    {dimension === 'model' ? (
                      <Link component={RouterLink} to={requestListLink({ model: name }, period)}>
                        {name}
                      </Link>
                    ) : (
                      name
                    )}
                  </TableCell>
                  <TableCell>
                    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                      <LinearProgress variant="determinate" value={((row.rate ?? 0) / highest) * 100} color="warning" sx={{ flex: 1, height: 8, borderRadius: 1 }} />
                      <Box component="span" sx={{ minWidth: 52, textAlign: 'right' }}>
                        {formatRate(row.rate)}
                      </Box>
                    </Box>
                  </TableCell>
                  <TableCell align="right">{formatCount(row.hallucinated)}</TableCell>
                  <TableCell align="right">{formatCount(row.scored)}</TableCell>
                  {/* Per evaluator, requests are every request of the period: the same on each row. */}
                  {dimension === 'model' && <TableCell align="right">{formatCount(row.requests)}</TableCell>}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
