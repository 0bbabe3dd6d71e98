import { Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { GpuFleetFilter } from '../../dataProvider/fleetQueries';
import { gpuHotSpotsQuery } from '../../dataProvider/fleetQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatCount } from '../../format';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { GpuLink } from './GpuLink';
import { formatCelsius } from './gpuFormat';

interface GpuHotSpotsCardProps {
  /** The fleet's evaluation time: the window is the 24 hours before it, on whole minutes. */
  at: string;
  filter: GpuFleetFilter | undefined;
}

const windowHours = 24;

function windowBefore(at: string): { from: string; to: string } {
  const end = Math.floor(new Date(at).getTime() / 60_000) * 60_000;
  return { from: new Date(end - windowHours * 3600_000).toISOString(), to: new Date(end).toISOString() };
}

export function GpuHotSpotsCard({ at, filter }: GpuHotSpotsCardProps) {
  const [celsiusText, setCelsiusText] = useState('85');
  const celsius = celsiusText.trim() !== '' && Number.isFinite(Number(celsiusText)) ? Number(celsiusText) : null;
  const variables = useMemo(
    () => ({ ...windowBefore(at), temperatureAboveCelsius: celsius ?? 85, filter }),
    [at, celsius, filter],
  );
  const { data: currentData, previousData, error, refetch } = useAnalyticsQuery(gpuHotSpotsQuery, variables, {
    skip: celsius === null,
  });
  const answer = (currentData ?? previousData)?.gpuHotSpots;

  return (
    <Card data-testid="gpu-hot-spots" sx={{ height: '100%' }}>
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Hot spots</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Last {windowHours} hours: over the temperature, throttled (power or thermal), or gaining ECC errors.
        </Typography>
        <Stack direction="row" spacing={2} sx={{ my: 1.5 }}>
          <TextField
            size="small"
            type="number"
            label="Above, °C"
            value={celsiusText}
            onChange={event => setCelsiusText(event.target.value)}
            error={celsius === null}
            sx={{ width: 120 }}
            slotProps={{ htmlInput: { 'data-testid': 'hot-threshold' } }}
          />
        </Stack>
        {error && <QueryErrorAlert title="The hot-spot query failed" message={error.message} onRetry={() => void refetch()} />}
        {!error && answer && answer.gpus.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            No GPU went over {formatCelsius(answer.temperatureAboveCelsius)}, throttled or gained ECC errors.
          </Typography>
        )}
        {!error && answer && answer.gpus.length > 0 && (
          <Table size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                <TableCell>GPU</TableCell>
                <TableCell>Why</TableCell>
                <TableCell align="right">Max temp.</TableCell>
                <TableCell>Throttling</TableCell>
                <TableCell align="right">New ECC</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {answer.gpus.map(gpu => (
                <TableRow key={`${gpu.node}/${gpu.gpuUuid}/${gpu.migInstance}`}>
                  <TableCell>
                    <GpuLink node={gpu.node} gpuUuid={gpu.gpuUuid} gpuIndex={gpu.gpuIndex} />
                  </TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5}>
                      {gpu.reasons.map(reason => (
                        <Chip key={reason} size="small" color="error" variant="outlined" label={reason.toLowerCase()} />
                      ))}
                    </Stack>
                  </TableCell>
                  <TableCell align="right">{formatCelsius(gpu.maxTemperatureCelsius)}</TableCell>
                  <TableCell>
                    {gpu.throttledSamples > 0
                      ? `${gpu.throttleReasons.join(', ')} (${formatCount(gpu.throttledSamples)} of ${formatCount(gpu.samples)} samples)`
                      : '—'}
                  </TableCell>
                  <TableCell align="right">{gpu.newEccErrors == null ? '—' : formatCount(gpu.newEccErrors)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
