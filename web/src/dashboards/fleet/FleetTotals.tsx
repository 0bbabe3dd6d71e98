import type { GpuFleet } from '../../dataProvider/fleetQueries';
import { TotalCards, type TotalCardProps } from '../TotalCards';
import { formatCelsius, formatGibibytes, formatPercent, formatWatts } from './gpuFormat';

export function FleetTotals({ fleet }: { fleet: GpuFleet }) {
  const statusDetail = `${fleet.idleGpus} idle · ${fleet.hotGpus} hot · ${fleet.staleGpus} stale`;
  const totals: TotalCardProps[] = [
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
  return <TotalCards cards={totals} size={{ xs: 12, sm: 6, md: 4, lg: 2 }} testId="fleet-totals" />;
}
