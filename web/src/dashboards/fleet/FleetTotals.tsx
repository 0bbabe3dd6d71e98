import { Card, CardContent, Grid, Typography } from '@mui/material';
import type { GpuFleet } from '../../dataProvider/fleetQueries';
import { formatCelsius, formatGibibytes, formatPercent, formatWatts } from './gpuFormat';

interface TotalProps {
  label: string;
  value: string;
  detail?: string;
}

function Total({ label, value, detail }: TotalProps) {
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="div">
          {value}
        </Typography>
        {detail && (
          <Typography variant="caption" color="text.secondary">
            {detail}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

export function FleetTotals({ fleet }: { fleet: GpuFleet }) {
  const statusDetail = `${fleet.idleGpus} idle · ${fleet.hotGpus} hot · ${fleet.staleGpus} stale`;
  const totals: TotalProps[] = [
    { label: 'GPUs reporting', value: `${fleet.reportingGpus} / ${fleet.gpus}`, detail: statusDetail },
    { label: 'Nodes', value: String(fleet.nodes) },
    { label: 'Average utilisation', value: formatPercent(fleet.averageUtilizationRatio) },
    {
      label: 'Memory used',
      value: formatGibibytes(fleet.memoryUsedBytes),
      detail: `of ${formatGibibytes(fleet.memoryTotalBytes)}${fleet.memoryTotalBytes > 0 ? ` (${formatPercent(fleet.memoryUsedBytes / fleet.memoryTotalBytes)})` : ''}`,
    },
    { label: 'Power draw', value: formatWatts(fleet.powerDrawWatts) },
    { label: 'Hottest GPU', value: formatCelsius(fleet.hottestTemperatureCelsius) },
  ];
  return (
    <Grid container spacing={2} data-testid="fleet-totals">
      {totals.map(total => (
        <Grid key={total.label} size={{ xs: 12, sm: 6, md: 4, lg: 2 }}>
          <Total {...total} />
        </Grid>
      ))}
    </Grid>
  );
}
