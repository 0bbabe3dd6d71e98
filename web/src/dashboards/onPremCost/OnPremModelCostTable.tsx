import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { OnPremModelCost } from '../../dataProvider/onPremCostQueries';
import { formatDecimalUsdShort } from '../../dataProvider/decimalValues';
import { formatCompact, formatCount } from '../../format';
import { formatUsdPerMillion } from './formatUsdPerMillion';
import { SetInternalPriceButton } from './SetInternalPriceButton';

/** `window`: the period shown, which an internal price is measured over. */
export function OnPremModelCostTable({ rows, window }: { rows: readonly OnPremModelCost[]; window?: { from: string; to: string } }) {
  return (
    <Card data-testid="on-prem-models">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Cost per 1M tokens on our GPUs</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Per node and model: the node's cost in the hours it served, spread over the tokens served then.
        </Typography>
        <Table size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>Node</TableCell>
              <TableCell>Model</TableCell>
              <TableCell align="right">Requests</TableCell>
              <TableCell align="right">Tokens in / out</TableCell>
              <TableCell align="right">Busy hours</TableCell>
              <TableCell align="right">Allocated cost</TableCell>
              <TableCell align="right">Input / 1M</TableCell>
              <TableCell align="right">Output / 1M</TableCell>
              {window && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={`${row.node}/${row.model}`} data-testid="on-prem-model-row">
                <TableCell>{row.node}</TableCell>
                <TableCell>{row.model}</TableCell>
                <TableCell align="right">{formatCount(row.requests)}</TableCell>
                <TableCell align="right">
                  {formatCompact(row.inputTokens)} / {formatCompact(row.outputTokens)}
                </TableCell>
                <TableCell align="right">{formatCount(row.busyHours)}</TableCell>
                <TableCell align="right">{formatDecimalUsdShort(row.allocatedCostUsd)}</TableCell>
                <TableCell align="right">{formatUsdPerMillion(row.usdPerMillionInputTokens)}</TableCell>
                <TableCell align="right">{formatUsdPerMillion(row.usdPerMillionOutputTokens)}</TableCell>
                {window && (
                  <TableCell>
                    <SetInternalPriceButton node={row.node} model={row.model} from={window.from} to={window.to} />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
