import { useQuery } from '@apollo/client';
import { Alert, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatDecimalUsd } from '../../dataProvider/decimalValues';
import { compactDateTimeOptions } from '../../format';
import { nodeRateVersionsQuery } from './nodeRateVersionsQuery';
import type { NodeRecord } from './nodeRecord';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-US', { ...compactDateTimeOptions, year: 'numeric' }) : '—');

/** The node's rate history: each version from when to when, the one in force now marked. */
export function NodeRateHistory() {
  const node = useRecordContext<NodeRecord>();
  const { data, error } = useQuery(nodeRateVersionsQuery, { variables: { id: node?.id ?? '' }, skip: !node, fetchPolicy: 'network-only' });
  if (error) return <Alert severity="error">The rate history could not be read: {error.message}</Alert>;
  if (!data) return null;
  return (
    <>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        Rate versions
      </Typography>
      <Table size="small" data-testid="node-rate-versions" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell>From</TableCell>
            <TableCell>Until</TableCell>
            <TableCell align="right">Hourly cost</TableCell>
            <TableCell align="right">Energy / kWh</TableCell>
            <TableCell align="right">PUE</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {data.nodeRateVersions.map(version => (
            <TableRow key={version.id} data-testid="node-rate-version-row">
              <TableCell>{when(version.effectiveFrom)}</TableCell>
              <TableCell>{when(version.effectiveUntil)}</TableCell>
              <TableCell align="right">{formatDecimalUsd(version.hourlyCostUsd)}</TableCell>
              <TableCell align="right">{formatDecimalUsd(version.energyPriceUsdPerKwh)}</TableCell>
              <TableCell align="right">{version.powerOverheadFactor}</TableCell>
              <TableCell>{version.inForce && <Chip size="small" color="success" label="in force" />}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
