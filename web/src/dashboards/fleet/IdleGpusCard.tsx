import { Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { GpuFleetFilter } from '../../dataProvider/fleetQueries';
import { idleGpusQuery } from '../../dataProvider/fleetQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { GpuLink } from './GpuLink';
import { formatGibibytes, formatPercent, formatWatts } from './gpuFormat';

interface IdleGpusCardProps {
  /** The fleet's evaluation time: the list follows each fleet refresh. */
  at: string;
  filter: GpuFleetFilter | undefined;
}

function boundedNumber(text: string, minimum: number, maximum: number): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= minimum && value <= maximum ? value : null;
}

export function IdleGpusCard({ at, filter }: IdleGpusCardProps) {
  const [percentText, setPercentText] = useState('5');
  const [hoursText, setHoursText] = useState('24');
  const percent = boundedNumber(percentText, 0, 100);
  const hours = boundedNumber(hoursText, 1, 24 * 90);
  const variables = useMemo(
    () => ({ at, hours: Math.round(hours ?? 24), belowUtilizationRatio: (percent ?? 5) / 100, filter }),
    [at, hours, percent, filter],
  );
  const { data: currentData, previousData, error, refetch } = useAnalyticsQuery(idleGpusQuery, variables, {
    skip: percent === null || hours === null,
  });
  const answer = (currentData ?? previousData)?.idleGpus;

  return (
    <Card data-testid="idle-gpus" sx={{ height: '100%' }}>
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6">Idle GPUs</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Paid for but hardly used: mean utilisation under the threshold over the window.
        </Typography>
        <Stack direction="row" spacing={2} sx={{ my: 1.5 }}>
          <TextField
            size="small"
            type="number"
            label="Under, %"
            value={percentText}
            onChange={event => setPercentText(event.target.value)}
            error={percent === null}
            helperText={percent === null ? '0 to 100' : undefined}
            sx={{ width: 120 }}
            slotProps={{ htmlInput: { min: 0, max: 100, 'data-testid': 'idle-threshold' } }}
          />
          <TextField
            size="small"
            type="number"
            label="For hours"
            value={hoursText}
            onChange={event => setHoursText(event.target.value)}
            error={hours === null}
            helperText={hours === null ? '1 to 2160' : undefined}
            sx={{ width: 120 }}
            slotProps={{ htmlInput: { min: 1, 'data-testid': 'idle-hours' } }}
          />
        </Stack>
        {error && <QueryErrorAlert title="The idle-GPU query failed" message={error.message} onRetry={() => void refetch()} />}
        {!error && answer && answer.gpus.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            No GPU was under {formatPercent(answer.belowUtilizationRatio)} on average for the whole window.
          </Typography>
        )}
        {!error && answer && answer.gpus.length > 0 && (
          <Table size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                <TableCell>GPU</TableCell>
                <TableCell>Model</TableCell>
                <TableCell align="right">Mean util.</TableCell>
                <TableCell align="right">Peak util.</TableCell>
                <TableCell align="right">Mean power</TableCell>
                <TableCell align="right">Peak memory</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {answer.gpus.map(gpu => (
                <TableRow key={`${gpu.node}/${gpu.gpuUuid}/${gpu.migInstance}`}>
                  <TableCell>
                    <GpuLink node={gpu.node} gpuUuid={gpu.gpuUuid} gpuIndex={gpu.gpuIndex} />
                  </TableCell>
                  <TableCell>{gpu.gpuName}</TableCell>
                  <TableCell align="right">{formatPercent(gpu.averageUtilizationRatio)}</TableCell>
                  <TableCell align="right">{formatPercent(gpu.maxUtilizationRatio)}</TableCell>
                  <TableCell align="right">{formatWatts(gpu.averagePowerDrawWatts)}</TableCell>
                  <TableCell align="right">{formatGibibytes(gpu.maxMemoryUsedBytes)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
