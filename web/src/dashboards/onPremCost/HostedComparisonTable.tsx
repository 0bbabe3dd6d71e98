import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { HostedModelPrice } from '../../dataProvider/onPremCostQueries';
import { formatDecimalUsdShort } from '../../dataProvider/decimalValues';
import { formatUsdPerMillion } from './formatUsdPerMillion';

interface HostedComparisonTableProps {
  rows: readonly HostedModelPrice[];
  /** What the same tokens cost on our GPUs (busy hours only), for the comparison. */
  allocatedCostUsd: string;
}

export function HostedComparisonTable({ rows, allocatedCostUsd }: HostedComparisonTableProps) {
  return (
    <Card data-testid="hosted-comparison">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Hosted API prices</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          From the price catalog, and what the tokens served on-prem in this period would have cost there. On our GPUs
          they cost <strong data-testid="on-prem-allocated-comparison">{formatDecimalUsdShort(allocatedCostUsd)}</strong> (idle cost
          apart).
        </Typography>
        <Table size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Model</TableCell>
              <TableCell>Provider</TableCell>
              <TableCell align="right">Input / 1M</TableCell>
              <TableCell align="right">Output / 1M</TableCell>
              <TableCell align="right">Same tokens would cost</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.model} data-testid="hosted-price-row">
                <TableCell>{row.model}</TableCell>
                <TableCell>{row.priced ? row.provider : 'not in the catalog'}</TableCell>
                <TableCell align="right">{formatUsdPerMillion(row.usdPerMillionInputTokens)}</TableCell>
                <TableCell align="right">{formatUsdPerMillion(row.usdPerMillionOutputTokens)}</TableCell>
                <TableCell align="right">{formatDecimalUsdShort(row.costOfServedTokensUsd)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
