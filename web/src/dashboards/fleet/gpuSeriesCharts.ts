import type { GpuSeriesPoint } from '../../dataProvider/fleetQueries';

// The four charts of a GPU's detail page, each as a list of lines over the series' bucket times. The bounding line
// (peak, total) comes first so the main one (mean, used) is drawn over it where they meet.

export interface GpuChartLine {
  label: string;
  data: (number | null)[];
}

export interface GpuChartDefinition {
  metric: 'utilization' | 'memory' | 'power' | 'temperature';
  title: string;
  unit: string;
  lines: GpuChartLine[];
}

const gibibyte = 1024 ** 3;

function scaled(value: number | null, factor: number): number | null {
  return value == null ? null : value * factor;
}

export function gpuChartDefinitions(points: readonly GpuSeriesPoint[]): GpuChartDefinition[] {
  const line = (label: string, read: (point: GpuSeriesPoint) => number | null): GpuChartLine => ({
    label,
    data: points.map(read),
  });
  return [
    {
      metric: 'utilization',
      title: 'Utilisation',
      unit: '%',
      lines: [
        line('peak', point => scaled(point.utilizationRatioMax, 100)),
        line('mean', point => scaled(point.utilizationRatio, 100)),
      ],
    },
    {
      metric: 'memory',
      title: 'Memory',
      unit: 'GiB',
      lines: [
        line('total', point => scaled(point.memoryTotalBytes, 1 / gibibyte)),
        line('used', point => scaled(point.memoryUsedBytes, 1 / gibibyte)),
      ],
    },
    {
      metric: 'power',
      title: 'Power draw',
      unit: 'W',
      lines: [line('peak', point => point.powerDrawWattsMax), line('mean', point => point.powerDrawWatts)],
    },
    {
      metric: 'temperature',
      title: 'Temperature',
      unit: '°C',
      lines: [line('peak', point => point.temperatureCelsiusMax), line('mean', point => point.temperatureCelsius)],
    },
  ];
}
