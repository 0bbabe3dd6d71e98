import { useQuery } from '@apollo/client';
import { Alert, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatDecimalUsd } from '../../dataProvider/decimalValues';
import { compactDateTimeOptions } from '../../format';
import { priceVersionsQuery } from './priceVersionsQuery';
import type { PriceRecord } from './priceRecord';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-US', { ...compactDateTimeOptions, year: 'numeric' }) : '—');

/** The price's history: each version from when to when, the one in force now marked. */
export function PriceVersionHistory() {
  const price = useRecordContext<PriceRecord>();
  const { data, error } = useQuery(priceVersionsQuery, { variables: { id: price?.id ?? '' }, skip: !price, fetchPolicy: 'network-only' });
  if (error) return <Alert severity="error">The price history could not be read: {error.message}</Alert>;
  if (!data) return null;
  return (
    <>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        Versions
      </Typography>
      <Table size="small" data-testid="price-versions" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell>From</TableCell>
            <TableCell>Until</TableCell>
            <TableCell align="right">Input / 1M</TableCell>
            <TableCell align="right">Output / 1M</TableCell>
            <TableCell align="right">Cached input / 1M</TableCell>
            <TableCell>Source</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {data.priceVersions.map(version => (
            <TableRow key={version.id} data-testid="price-version-row" selected={version.id === price?.id}>
              <TableCell>{when(version.effectiveFrom)}</TableCell>
              <TableCell>{when(version.effectiveUntil)}</TableCell>
              <TableCell align="right">{formatDecimalUsd(version.inputPerMillionUsd)}</TableCell>
              <TableCell align="right">{formatDecimalUsd(version.outputPerMillionUsd)}</TableCell>
              <TableCell align="right">{formatDecimalUsd(version.cachedInputPerMillionUsd)}</TableCell>
              <TableCell>{version.source}</TableCell>
              <TableCell>{version.inForce && <Chip size="small" color="success" label="in force" />}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
