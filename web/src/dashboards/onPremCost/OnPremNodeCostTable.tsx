import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { OnPremNodeCost } from '../../dataProvider/onPremCostQueries';
import { formatCount, formatUsd } from '../../format';

const kilowattHours = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function OnPremNodeCostTable({ rows }: { rows: readonly OnPremNodeCost[] }) {
  return (
    <Card data-testid="on-prem-nodes">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Nodes</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Idle cost is the cost of hours in which the node reported but served no token; it stays out of the per-token
          figures.
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
                </TableCell>
                <TableCell align="right">{kilowattHours.format(row.energyKwh)} kWh</TableCell>
                <TableCell align="right">{formatUsd(row.totalCostUsd)}</TableCell>
                <TableCell align="right">{formatUsd(row.allocatedCostUsd)}</TableCell>
                <TableCell align="right" sx={{ color: row.idleCostUsd > 0 ? 'warning.dark' : undefined }}>
                  {formatUsd(row.idleCostUsd)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
