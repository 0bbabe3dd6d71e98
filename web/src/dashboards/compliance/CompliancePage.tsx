import { Box, Grid, LinearProgress, Stack } from '@mui/material';
import { useMemo } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { complianceDashboardQuery } from '../../dataProvider/complianceQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatCount } from '../../format';
import { periodFromSearch, searchForPeriod, type PeriodName } from '../period';
import { PeriodPicker } from '../PeriodPicker';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { AuditChainCard } from './AuditChainCard';
import { formatInstant, formatShare } from './complianceFormat';
import { DecisionsCard } from './DecisionsCard';
import { FigureTable } from './FigureTable';
import { LegalHoldsCard } from './LegalHoldsCard';

/**
 * What compliance shows an auditor: policy decisions and denials, personal data found and how it was handled, where
 * requests were served, retention against policy, the audit chain, and legal holds. Compliance and admin only.
 */
export function CompliancePage() {
  const location = useLocation();
  const navigate = useNavigate();
  const period = useMemo(() => periodFromSearch(location.search, new Date()), [location.search]);
  const hourly = period.to.getTime() - period.from.getTime() <= 2 * 86_400_000;
  const variables = useMemo(
    () => ({ from: period.from.toISOString(), to: period.to.toISOString(), bucket: hourly ? ('HOUR' as const) : ('DAY' as const) }),
    [period, hourly],
  );
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(complianceDashboardQuery, variables);
  const data = currentData ?? previousData;
  const changePeriod = (name: PeriodName, from?: string, to?: string) => navigate({ pathname: location.pathname, search: searchForPeriod(name, from, to) });
  const view = data?.complianceView;
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="compliance">
      <Title title="Compliance" />
      <PeriodPicker key={location.search} period={period} onChange={changePeriod} />
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && <QueryErrorAlert title="The compliance query failed" message={error.message} onRetry={() => void refetch()} testId="compliance-error" />}
      {!error && view && data && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, lg: 8 }}>
            <DecisionsCard figures={view.decisions} hourly={hourly} />
          </Grid>
          <Grid size={{ xs: 12, lg: 4 }}>
            <AuditChainCard status={view.auditChain} />
          </Grid>
          <Grid size={{ xs: 12, lg: 6 }}>
            <FigureTable
              title="Denials by team, model and reason"
              testId="compliance-denials"
              headers={['Team', 'Model', 'Reason', 'Denied']}
              numericFrom={3}
              rows={view.decisions.denials.slice(0, 20).map(row => ({ key: `${row.team}/${row.model}/${row.reason}`, cells: [row.team, row.model, row.reason, formatCount(row.denied)] }))}
              empty="No request was denied in this period."
            />
          </Grid>
          <Grid size={{ xs: 12, lg: 6 }}>
            <FigureTable
              title="Personal data found"
              testId="compliance-personal-data"
              headers={['Team', 'Detector', 'Handling', 'Requests', 'Findings', 'On-premises']}
              numericFrom={3}
              rows={view.personalData.map(row => ({
                key: `${row.team}/${row.detector}/${row.outcome}`,
                cells: [row.team, row.detector, row.outcome, formatCount(row.requests), formatCount(row.findings), formatCount(row.onPremises)],
              }))}
              empty="No personal data was detected in this period."
            />
          </Grid>
          <Grid size={12}>
            <FigureTable
              title="Data locality"
              testId="compliance-locality"
              headers={['Team', 'Requests', 'On-premises', 'External', 'Share on-premises', 'With personal data', 'Of those on-premises', 'Share on-premises']}
              rows={view.locality.map(row => ({
                key: row.team ?? '(all)',
                cells: [
                  row.team ?? 'All teams',
                  formatCount(row.requests),
                  formatCount(row.onPremises),
                  formatCount(row.external),
                  formatShare(row.onPremisesShare),
                  formatCount(row.withPersonalData),
                  formatCount(row.personalDataOnPremises),
                  formatShare(row.personalDataOnPremisesShare),
                ],
              }))}
              empty="No request in this period."
            />
          </Grid>
          <Grid size={12}>
            <FigureTable
              title="Nodes serving models outside their policy"
              testId="compliance-flagged-nodes"
              headers={['Node', 'Location', 'Models not allowed', 'Last checked']}
              numericFrom={4}
              rows={view.flaggedNodes.map(node => ({ key: node.node, cells: [node.node, node.location, node.models.join(', '), formatInstant(node.checkedAt)] }))}
              empty="Every node serves only what its policy allows (as of its last health check)."
            />
          </Grid>
          <Grid size={12}>
            <FigureTable
              title="Retention"
              testId="compliance-retention"
              headers={['Data class', 'Team or node', 'Policy', 'Oldest kept', 'Within policy', 'Last sweep', 'Receipts']}
              numericFrom={6}
              rows={view.retention.map(row => ({
                key: `${row.dataClass}/${row.team ?? row.node}`,
                cells: [
                  row.dataClass,
                  row.team ?? row.node,
                  row.held ? 'legal hold' : row.policyDays === null ? 'as long as the row' : `${row.policyDays} days`,
                  formatInstant(row.oldestKept),
                  row.withinPolicy ? 'yes' : 'NO',
                  formatInstant(row.lastSweepAt),
                  String(row.receipts),
                ],
              }))}
              empty="Nothing stored yet."
            />
          </Grid>
          <Grid size={12}>
            <LegalHoldsCard holds={data.allLegalHolds} onChanged={() => void refetch()} />
          </Grid>
        </Grid>
      )}
    </Stack>
  );
}
