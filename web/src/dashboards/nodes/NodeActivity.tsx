import { Box, Card, CardContent, Grid, LinearProgress, Stack, Typography } from '@mui/material';
import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-admin';
import { nodeEngineMetricsQuery, nodeStatsQuery } from '../../dataProvider/nodeAgentQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatCount, formatMilliseconds } from '../../format';
import { formatBucket, formatPercent } from '../fleet/gpuFormat';
import { gpuPresetPeriods, periodFromSearch, searchForPeriod, type PeriodName } from '../period';
import { PeriodPicker } from '../PeriodPicker';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { engineChartDefinitions } from './engineCharts';
import { NodeEngineChart } from './NodeEngineChart';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h6" data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/**
 * A node's traffic and engine over a period picked in the URL (?period=1h): requests, rate, error rate, latency and
 * TTFT percentiles from the request log, and the engine metrics its agent reported, charted.
 */
export function NodeActivity({ node }: { node: string }) {
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date(), gpuPresetPeriods, '1h', 60_000), [location.search]);
  const variables = useMemo(() => ({ node, from: period.from.toISOString(), to: period.to.toISOString() }), [node, period]);
  const stats = useAnalyticsQuery(nodeStatsQuery, variables);
  const engine = useAnalyticsQuery(nodeEngineMetricsQuery, variables);
  const figures = (stats.data ?? stats.previousData)?.nodeStats;
  const series = (engine.data ?? engine.previousData)?.nodeEngineMetrics;
  const times = useMemo(() => series?.points.map(point => new Date(point.time)) ?? [], [series]);
  const range = useMemo(() => ({ from: new Date(series?.from ?? period.from), to: new Date(series?.to ?? period.to) }), [series, period]);
  const changePeriod = (name: PeriodName, from?: string, to?: string) => navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
        <PeriodPicker key={location.search} period={period} onChange={changePeriod} presets={gpuPresetPeriods} />
        {series && (
          <Typography variant="body2" color="text.secondary" data-testid="node-engine-bucket">
            Engine metrics: one point per {formatBucket(series.bucketSeconds)}
          </Typography>
        )}
      </Stack>
      <Box sx={{ minHeight: 4 }}>{(stats.loading || engine.loading) && <LinearProgress />}</Box>
      {stats.error && <QueryErrorAlert title="The node statistics query failed" message={stats.error.message} onRetry={() => void stats.refetch()} />}
      {figures && (
        <Card data-testid="node-stats">
          <CardContent>
            <Grid container spacing={3}>
              <Grid size={{ xs: 6, md: 2 }}>
                <Figure label="Requests" value={formatCount(figures.requests)} testId="node-stats-requests" />
              </Grid>
              <Grid size={{ xs: 6, md: 2 }}>
                <Figure label="Requests / min" value={figures.requestsPerMinute.toFixed(2)} testId="node-stats-rate" />
              </Grid>
              <Grid size={{ xs: 6, md: 2 }}>
                <Figure label="Error rate" value={figures.requests === 0 ? '—' : formatPercent(figures.errorRate)} testId="node-stats-error-rate" />
              </Grid>
              <Grid size={{ xs: 12, md: 3 }}>
                <Figure
                  label="Latency p50 / p95 / p99"
                  value={[figures.latencyMsP50, figures.latencyMsP95, figures.latencyMsP99].map(formatMilliseconds).join(' / ')}
                  testId="node-stats-latency"
                />
              </Grid>
              <Grid size={{ xs: 12, md: 3 }}>
                <Figure
                  label="Time to first token p50 / p95 / p99"
                  value={[figures.ttftMsP50, figures.ttftMsP95, figures.ttftMsP99].map(formatMilliseconds).join(' / ')}
                  testId="node-stats-ttft"
                />
              </Grid>
            </Grid>
          </CardContent>
        </Card>
      )}
      {engine.error && <QueryErrorAlert title="The engine metrics query failed" message={engine.error.message} onRetry={() => void engine.refetch()} />}
      {!engine.error && series && series.points.length === 0 && (
        <Card data-testid="node-engine-empty">
          <CardContent>
            <Typography>
              No engine metrics from this node in this period. Run warden-node-agent beside its engine with --node-name {node} (README,
              "Node agent"), or pick a longer period.
            </Typography>
          </CardContent>
        </Card>
      )}
      {!engine.error && series && series.points.length > 0 && (
        <Card data-testid="node-engine-charts">
          <CardContent>
            <Grid container spacing={2}>
              {engineChartDefinitions(series.points).map(chart => (
                <Grid key={chart.metric} size={{ xs: 12, lg: 6 }} data-testid="node-engine-chart">
                  <NodeEngineChart chart={chart} times={times} range={range} />
                </Grid>
              ))}
            </Grid>
          </CardContent>
        </Card>
      )}
    </Stack>
  );
}
