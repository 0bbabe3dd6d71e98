import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { OnPremNodeCost } from '../../dataProvider/onPremCostQueries';
import { formatDecimalUsdShort } from '../../dataProvider/decimalValues';
import { formatCount } from '../../format';

const kilowattHours = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function OnPremNodeCostTable({ rows }: { rows: readonly OnPremNodeCost[] }) {
  return (
    <Card data-testid="on-prem-nodes">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Nodes</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Idle cost is the cost of hours in which the node reported but served no token; it stays out of the per-token
          figures. Each hour is costed with the node's rates in force then; hours before its first rates are unpriced.
        </Typography>
        <Table size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Node</TableCell>
              <TableCell align="right">Hours busy / idle</TableCell>
              <TableCell align="right">Energy</TableCell>
              <TableCell align="right">Total cost</TableCell>
              <TableCell align="right">Allocated</TableCell>
              <TableCell align="right">Idle cost</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.node} data-testid="on-prem-node-row">
                <TableCell>{row.node}</TableCell>
                <TableCell align="right">
                  {formatCount(row.busyHours)} / {formatCount(row.idleHours)}
                  {row.unpricedHours > 0 && ` (+${formatCount(row.unpricedHours)} unpriced)`}
                </TableCell>
                <TableCell align="right">{kilowattHours.format(row.energyKwh)} kWh</TableCell>
                <TableCell align="right">{formatDecimalUsdShort(row.totalCostUsd)}</TableCell>
                <TableCell align="right">{formatDecimalUsdShort(row.allocatedCostUsd)}</TableCell>
                <TableCell align="right" sx={{ color: /[1-9]/.test(row.idleCostUsd) ? 'warning.dark' : undefined }}>
                  {formatDecimalUsdShort(row.idleCostUsd)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
