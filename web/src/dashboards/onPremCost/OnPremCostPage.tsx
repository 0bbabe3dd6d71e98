import { Box, LinearProgress, Stack, Typography } from '@mui/material';
import { useMemo } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { onPremCostQuery } from '../../dataProvider/onPremCostQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { periodFromSearch, searchForPeriod, type PeriodName } from '../period';
import { PeriodPicker } from '../PeriodPicker';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { EmptyOnPremCostState } from './EmptyOnPremCostState';
import { HostedComparisonTable } from './HostedComparisonTable';
import { allocatedCostUsd, OnPremCostTotals } from './OnPremCostTotals';
import { OnPremModelCostTable } from './OnPremModelCostTable';
import { OnPremNodeCostTable } from './OnPremNodeCostTable';
import { UnregisteredNodesWarning } from './UnregisteredNodesWarning';

/** Finance: what a million tokens costs on our own GPUs, next to the hosted API price. */
export function OnPremCostPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date()), [location.search]);
  const variables = useMemo(() => ({ from: period.from.toISOString(), to: period.to.toISOString() }), [period]);
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(onPremCostQuery, variables);
  const cost = (currentData ?? previousData)?.onPremCost;
  const changePeriod = (name: PeriodName, from?: string, to?: string) =>
    navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });
  const hasFigures = cost && (cost.nodes.length > 0 || cost.models.length > 0);

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="on-prem-cost">
      <Title title="On-prem vs API" />
      <PeriodPicker key={location.search} period={period} onChange={changePeriod} />
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && (
        <QueryErrorAlert title="The on-prem cost query failed" message={error.message} onRetry={() => void refetch()} testId="on-prem-cost-error" />
      )}
      {!error && cost && <UnregisteredNodesWarning nodes={cost.unregisteredNodes} />}
      {!error && cost && !hasFigures && <EmptyOnPremCostState />}
      {!error && cost && hasFigures && (
        <>
          <OnPremCostTotals cost={cost} />
          <OnPremModelCostTable rows={cost.models} window={variables} />
          <OnPremNodeCostTable rows={cost.nodes} />
          <HostedComparisonTable rows={cost.hostedComparison} allocatedCostUsd={allocatedCostUsd(cost)} />
          <Typography variant="caption" color="text.secondary" data-testid="on-prem-cost-method">
            {cost.method}
          </Typography>
        </>
      )}
    </Stack>
  );
}
