import { BarChart } from '@mui/x-charts/BarChart';
import type { ScoreDistribution } from '../../dataProvider/evaluationsQueries';

const bound = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A score name's histogram, hallucinated scores stacked apart from the others. */
export function ScoreDistributionChart({ distribution }: { distribution: ScoreDistribution }) {
  const labels = distribution.buckets.map(bucket =>
    bucket.lower === null ? bucket.label : `${bound.format(bucket.lower)}–${bound.format(bucket.upper ?? bucket.lower)}`,
  );
  return (
    <BarChart
      height={220}
      xAxis={[{ scaleType: 'band', data: labels, label: distribution.name }]}
      series={[
        { label: 'Hallucinated', data: distribution.buckets.map(bucket => bucket.hallucinated), stack: 'scores', color: '#ed6c02' },
        { label: 'Not hallucinated or unknown', data: distribution.buckets.map(bucket => bucket.count - bucket.hallucinated), stack: 'scores', color: '#1976d2' },
      ]}
    />
  );
}
