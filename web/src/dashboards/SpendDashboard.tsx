import { Alert, AlertTitle, Box, Button, Grid, LinearProgress, Stack } from '@mui/material';
import { useMemo } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { spendDashboardQuery } from '../dataProvider/analyticsQueries';
import { useAnalyticsQuery } from '../dataProvider/useAnalyticsQuery';
import { CostOverTimeChart } from './CostOverTimeChart';
import { costKindSeries, costSeries } from './costSeries';
import { costTooltips } from './costTooltips';
import { EmptySpendState } from './EmptySpendState';
import { periodFromSearch, searchForPeriod, type PeriodName } from './period';
import { PeriodPicker } from './PeriodPicker';
import { SpendTotals } from './SpendTotals';
import { TopModelsTable } from './TopModelsTable';
import { TopTeamsTable } from './TopTeamsTable';
import { UnpricedModelsWarning } from './UnpricedModelsWarning';

export function SpendDashboard() {
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date()), [location.search]);
  const variables = useMemo(
    () => ({ from: period.from.toISOString(), to: period.to.toISOString(), timeBucket: period.timeBucket }),
    [period],
  );
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(spendDashboardQuery, variables);
  // Keeps the previous period on screen while the next one loads, rather than flashing an empty page.
  const data = currentData ?? previousData;
  const changePeriod = (name: PeriodName, from?: string, to?: string) =>
    navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });

  const totals = data?.totals[0];
  const timeAxisLabel = period.timeBucket === 'HOUR' ? 'Hour (UTC)' : 'Day (UTC)';
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title="Spend" />
      <PeriodPicker key={location.search} period={period} onChange={changePeriod} />
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && (
        <Alert
          severity="error"
          data-testid="spend-error"
          action={
            <Button color="inherit" size="small" onClick={() => void refetch()}>
              Retry
            </Button>
          }
        >
          <AlertTitle>The spend query failed</AlertTitle>
          {error.message}
        </Alert>
      )}
      {!error && data && (!totals || totals.requests === 0) && <EmptySpendState />}
      {!error && data && totals && totals.requests > 0 && (
        <>
          <SpendTotals totals={totals} idleUsd={data.costByTeam.filter(row => row.idle).reduce((sum, row) => sum + Number(row.onPremCostUsd), 0)} />
          <UnpricedModelsWarning models={data.unpricedModels} />
          <Grid container spacing={2}>
            <Grid size={{ xs: 12 }}>
              <CostOverTimeChart
                title="Hosted APIs and own GPUs"
                testId="chart-cost-by-kind"
                costSeries={costKindSeries(data.costByTeam, period)}
                timeAxisLabel={timeAxisLabel}
                tooltip={`${costTooltips.api} ${costTooltips.onPrem}`}
              />
            </Grid>
            <Grid size={{ xs: 12, lg: 6 }}>
              <CostOverTimeChart
                title="Cost by team, all in"
                tooltip={costTooltips.total}
                testId="chart-cost-by-team"
                costSeries={costSeries(data.costByTeam, 'team', period)}
                timeAxisLabel={timeAxisLabel}
              />
            </Grid>
            <Grid size={{ xs: 12, lg: 6 }}>
              <CostOverTimeChart
                title="Cost by model, all in"
                tooltip={costTooltips.total}
                testId="chart-cost-by-model"
                costSeries={costSeries(data.costByModel, 'model', period)}
                timeAxisLabel={timeAxisLabel}
              />
            </Grid>
            <Grid size={{ xs: 12, lg: 7 }}>
              <TopModelsTable rows={data.topModels} period={period} />
            </Grid>
            <Grid size={{ xs: 12, lg: 5 }}>
              <TopTeamsTable rows={data.topTeams} period={period} />
            </Grid>
          </Grid>
        </>
      )}
    </Stack>
  );
}
