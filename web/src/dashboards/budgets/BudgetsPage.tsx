import { Alert, Box, Card, CardContent, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Tooltip, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { useMemo, useState } from 'react';
import { Title } from 'react-admin';
import { teamBudgetsQuery } from '../../dataProvider/chargebackQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatUsd } from '../../format';
import { costTooltips } from '../costTooltips';
import { QueryErrorAlert } from '../QueryErrorAlert';

const currentMonth = () => new Date().toISOString().slice(0, 7);
const usd = (text: string | null) => (text === null ? '—' : formatUsd(Number(text)));

/** Spent as a share of the limit, in percent (null without a positive limit). */
function usedPercent(spentUsd: string, limitUsd: string | null): number | null {
  if (limitUsd === null || !(Number(limitUsd) > 0)) return null;
  return (Number(spentUsd) / Number(limitUsd)) * 100;
}

/** The share of the limit used: a figure and a bar that turns amber at 80% and red at 100%, as the budget alerts do. */
function UsedCell({ percent }: { percent: number | null }) {
  if (percent === null) return <TableCell align="right">—</TableCell>;
  const color = percent >= 100 ? 'error' : percent >= 80 ? 'warning' : 'primary';
  return (
    <TableCell align="right" sx={{ minWidth: 110 }}>
      {percent.toFixed(percent < 10 ? 1 : 0)}%
      <LinearProgress variant="determinate" color={color} value={Math.min(100, percent)} sx={{ mt: 0.5 }} aria-label={`${percent.toFixed(1)}% of the limit used`} />
    </TableCell>
  );
}

/** Finance: per team, what the month has cost so far (all in), where it is heading, and the limit. */
export function BudgetsPage() {
  const [month, setMonth] = useState(currentMonth());
  const variables = useMemo(() => ({ month }), [month]);
  const { data, error, loading, refetch } = useAnalyticsQuery(teamBudgetsQuery, variables, { skip: !/^\d{4}-\d{2}$/.test(month) });
  const budgets = data?.teamBudgets ?? [];
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="budgets">
      <Title title="Budgets" />
      <TextField type="month" size="small" label="Month (UTC)" value={month} onChange={event => setMonth(event.target.value)} sx={{ width: 200 }} slotProps={{ inputLabel: { shrink: true } }} />
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && <QueryErrorAlert title="The budgets query failed" message={error.message} onRetry={() => void refetch()} testId="budgets-error" />}
      {!error && data && budgets.length === 0 && <Alert severity="info">No spend and no USD budget for {month}.</Alert>}
      {!error && budgets.length > 0 && (
        <>
          <Card data-testid="budgets-chart">
            <CardContent>
              <Tooltip title={`${costTooltips.budgetSpent} ${costTooltips.budgetForecast} ${costTooltips.budgetLimit}`} placement="top-start">
                <Typography variant="h6">Spent, forecast and limit per team</Typography>
              </Tooltip>
              <BarChart
                height={Math.max(240, budgets.length * 56)}
                layout="horizontal"
                yAxis={[{ scaleType: 'band', data: budgets.map(budget => budget.team || '(none)'), width: 120 }]}
                xAxis={[{ valueFormatter: (value: number) => formatUsd(value) }]}
                series={[
                  { label: 'Spent (all in)', data: budgets.map(budget => Number(budget.spentUsd)), valueFormatter: value => formatUsd(value) },
                  { label: 'Forecast (month end)', data: budgets.map(budget => Number(budget.forecastUsd)), valueFormatter: value => formatUsd(value) },
                  { label: 'Limit', data: budgets.map(budget => (budget.limitUsd === null ? null : Number(budget.limitUsd))), valueFormatter: value => formatUsd(value) },
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <Table size="small" data-testid="budgets-table">
                <TableHead>
                  <TableRow>
                    <TableCell>Team</TableCell>
                    <Tooltip title={costTooltips.budgetSpent}><TableCell align="right">Spent</TableCell></Tooltip>
                    <Tooltip title={costTooltips.api}><TableCell align="right">APIs</TableCell></Tooltip>
                    <Tooltip title={costTooltips.onPrem}><TableCell align="right">Own GPUs</TableCell></Tooltip>
                    <Tooltip title={costTooltips.budgetForecast}><TableCell align="right">Forecast (range)</TableCell></Tooltip>
                    <Tooltip title={costTooltips.budgetLimit}><TableCell align="right">Limit</TableCell></Tooltip>
                    <Tooltip title="Spent so far as a share of the month's limit."><TableCell align="right">Used</TableCell></Tooltip>
                    <TableCell>Status</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {budgets.map(budget => (
                    <TableRow key={budget.team} data-testid={`budget-${budget.team}`}>
                      <TableCell>{budget.team || '(none)'}</TableCell>
                      <Tooltip title={budget.includesEstimate ? `${costTooltips.budgetSpent} ${costTooltips.estimated}` : costTooltips.budgetSpent}>
                        <TableCell align="right">{usd(budget.spentUsd)}{budget.includesEstimate && ' ~'}</TableCell>
                      </Tooltip>
                      <Tooltip title={costTooltips.api}><TableCell align="right">{usd(budget.apiCostUsd)}</TableCell></Tooltip>
                      <Tooltip title={costTooltips.onPrem}><TableCell align="right">{usd(budget.onPremCostUsd)}</TableCell></Tooltip>
                      <Tooltip title={costTooltips.budgetForecast}>
                        <TableCell align="right">
                          {usd(budget.forecastUsd)} ({usd(budget.forecastLowUsd)} – {usd(budget.forecastHighUsd)})
                        </TableCell>
                      </Tooltip>
                      <Tooltip title={budget.limitSource ? `${costTooltips.budgetLimit} From ${budget.limitSource}.` : costTooltips.budgetLimit}>
                        <TableCell align="right">{usd(budget.limitUsd)}</TableCell>
                      </Tooltip>
                      <UsedCell percent={usedPercent(budget.spentUsd, budget.limitUsd)} />
                      <TableCell>
                        {budget.projectedOverrun ? (
                          <Chip size="small" color="error" label={budget.overrunDate ? `Overrun ${budget.overrunDate}` : 'Overrun projected'} />
                        ) : budget.limitUsd !== null ? (
                          <Chip size="small" color="success" label="Within limit" />
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </>
      )}
    </Stack>
  );
}
