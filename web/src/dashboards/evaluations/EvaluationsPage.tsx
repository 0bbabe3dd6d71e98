import { Box, Grid, LinearProgress, MenuItem, Stack, TextField } from '@mui/material';
import { useMemo, useRef, useState } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { evaluationsDashboardQuery, type EvaluationFilter } from '../../dataProvider/evaluationsQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { periodFromSearch, searchForPeriod, type PeriodName } from '../period';
import { PeriodPicker } from '../PeriodPicker';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { EmptyEvaluationsState } from './EmptyEvaluationsState';
import { EvaluationTotals } from './EvaluationTotals';
import { ModelComparisonCard } from './ModelComparisonCard';
import { RateOverTimeChart } from './RateOverTimeChart';
import { RateTable } from './RateTable';
import { WorstRequestsCard } from './WorstRequestsCard';

const allEvaluators = '';

/** Hallucinations: how often, over time, by model and by evaluator, the worst answers, and two models compared. */
export function EvaluationsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date()), [location.search]);
  const [evaluator, setEvaluator] = useState(allEvaluators);
  const filter = useMemo<EvaluationFilter>(() => (evaluator ? { evaluator } : {}), [evaluator]);
  const variables = useMemo(() => ({ from: period.from.toISOString(), to: period.to.toISOString(), filter }), [period, filter]);
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(evaluationsDashboardQuery, variables);
  const data = currentData ?? previousData;
  const changePeriod = (name: PeriodName, from?: string, to?: string) =>
    navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });
  // Every evaluator seen on this page stays a choice, so choosing one (which narrows the data to it) never empties the list.
  const seenEvaluators = useRef(new Set<string>());
  for (const row of data?.byEvaluator ?? []) if (row.evaluator) seenEvaluators.current.add(row.evaluator);
  const knownEvaluators = [...seenEvaluators.current].sort();

  const totals = data?.totals[0];
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="evaluations">
      <Title title="Evaluations" />
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
        <PeriodPicker key={location.search} period={period} onChange={changePeriod} />
        <TextField
          select
          size="small"
          label="Evaluator"
          value={evaluator}
          onChange={event => setEvaluator(event.target.value)}
          sx={{ width: 240 }}
          slotProps={{ htmlInput: { 'data-testid': 'evaluator-filter' } }}
        >
          <MenuItem value={allEvaluators}>All evaluators</MenuItem>
          {knownEvaluators.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && <QueryErrorAlert title="The evaluations query failed" message={error.message} onRetry={() => void refetch()} testId="evaluations-error" />}
      {!error && data && (!totals || totals.scored === 0) && <EmptyEvaluationsState requests={totals?.requests ?? 0} />}
      {!error && data && totals && totals.scored > 0 && (
        <>
          <EvaluationTotals totals={totals} />
          <Grid container spacing={2}>
            <Grid size={{ xs: 12, lg: 7 }}>
              <RateOverTimeChart byDay={data.byDay} byDayAndEvaluator={data.byDayAndEvaluator} />
            </Grid>
            <Grid size={{ xs: 12, lg: 5 }}>
              <RateTable title="By evaluator" testId="rate-by-evaluator" dimension="evaluator" rows={data.byEvaluator} period={period} />
            </Grid>
            <Grid size={{ xs: 12, lg: 6 }}>
              <RateTable title="By model" testId="rate-by-model" dimension="model" rows={data.byModel} period={period} />
            </Grid>
            <Grid size={{ xs: 12, lg: 6 }}>
              <ModelComparisonCard period={period} filter={filter} byModel={data.byModel} byEvaluator={data.byEvaluator} />
            </Grid>
          </Grid>
          <WorstRequestsCard period={period} filter={filter} distributions={data.distributions} />
        </>
      )}
    </Stack>
  );
}
