import { Box, Breadcrumbs, Card, CardContent, Grid, LinearProgress, Link, Stack, Typography } from '@mui/material';
import { useMemo } from 'react';
import { Link as RouterLink, Title, useLocation, useNavigate, useParams } from 'react-admin';
import { gpuSeriesQuery } from '../../dataProvider/fleetQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { gpuPresetPeriods, periodFromSearch, searchForPeriod, type PeriodName } from '../period';
import { PeriodPicker } from '../PeriodPicker';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { formatBucket } from './gpuFormat';
import { GpuMetricChart } from './GpuMetricChart';
import { gpuChartDefinitions } from './gpuSeriesCharts';

const resolutionWords = { RAW: 'raw samples', MINUTE: '1-minute rollup', HOUR: '1-hour rollup' } as const;

export function GpuDetailPage() {
  const { node = '', gpuUuid = '' } = useParams<{ node: string; gpuUuid: string }>();
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date(), gpuPresetPeriods, '1h', 60_000), [location.search]);
  const variables = useMemo(
    () => ({ from: period.from.toISOString(), to: period.to.toISOString(), node, gpuUuid }),
    [period, node, gpuUuid],
  );
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(gpuSeriesQuery, variables);
  const answer = (currentData ?? previousData)?.gpuSeries;
  const series = answer?.series[0];
  const times = useMemo(() => series?.points.map(point => new Date(point.time)) ?? [], [series]);
  const range = useMemo(() => ({ from: new Date(answer?.from ?? period.from), to: new Date(answer?.to ?? period.to) }), [answer, period]);
  const changePeriod = (name: PeriodName, from?: string, to?: string) =>
    navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={series ? `${node} · GPU ${series.gpuIndex}` : node} />
      <Breadcrumbs>
        <Link component={RouterLink} to="/fleet">
          GPU fleet
        </Link>
        <Typography color="text.primary">{node}</Typography>
        <Typography color="text.primary">{series ? `GPU ${series.gpuIndex} · ${series.gpuName}` : gpuUuid}</Typography>
      </Breadcrumbs>
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
        <PeriodPicker key={location.search} period={period} onChange={changePeriod} presets={gpuPresetPeriods} />
        {answer && (
          <Typography variant="body2" color="text.secondary" data-testid="gpu-series-bucket">
            One point per {formatBucket(answer.bucketSeconds)} ({resolutionWords[answer.resolution]})
          </Typography>
        )}
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {gpuUuid}
      </Typography>
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && <QueryErrorAlert title="The GPU series query failed" message={error.message} onRetry={() => void refetch()} />}
      {!error && answer && (!series || series.points.length === 0) && (
        <Card data-testid="gpu-series-empty">
          <CardContent>
            <Typography>
              No samples from this GPU in this period. Pick a longer period, or check that the exporter on {node} is
              running.
            </Typography>
          </CardContent>
        </Card>
      )}
      {!error && answer && series && series.points.length > 0 && (
        <Card data-testid="gpu-series-chart">
          <CardContent>
            <Grid container spacing={2}>
              {gpuChartDefinitions(series.points).map(chart => (
                <Grid key={chart.metric} size={{ xs: 12, lg: 6 }}>
                  <GpuMetricChart chart={chart} times={times} range={range} bucketSeconds={answer.bucketSeconds} />
                </Grid>
              ))}
            </Grid>
          </CardContent>
        </Card>
      )}
    </Stack>
  );
}
