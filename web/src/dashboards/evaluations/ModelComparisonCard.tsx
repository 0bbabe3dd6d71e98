import { Alert, Card, CardContent, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { modelComparisonQuery, type EvaluationFilter, type HallucinationRateRow } from '../../dataProvider/evaluationsQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatCount } from '../../format';
import type { Period } from '../period';
import { formatRate } from './evaluationFormat';

interface ModelComparisonCardProps {
  period: Period;
  filter: EvaluationFilter;
  byModel: readonly HallucinationRateRow[];
  byEvaluator: readonly HallucinationRateRow[];
}

const mean = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

function pick(options: string[], chosen: string, fallback: string): string {
  return options.includes(chosen) ? chosen : fallback;
}

/** Two models side by side on one evaluator's verdicts: rates with their 95% intervals, and whether they differ. */
export function ModelComparisonCard({ period, filter, byModel, byEvaluator }: ModelComparisonCardProps) {
  // The most-scored models and evaluator first, so the card shows a meaningful comparison before any choice.
  const models = [...byModel].filter(row => row.scored > 0).sort((left, right) => right.scored - left.scored).map(row => row.model ?? '');
  const evaluators = [...byEvaluator].sort((left, right) => right.scored - left.scored).map(row => row.evaluator ?? '');
  const [chosen, setChosen] = useState({ first: '', second: '', evaluator: '' });
  const first = pick(models, chosen.first, models[0] ?? '');
  const second = pick(models.filter(model => model !== first), chosen.second, models.find(model => model !== first) ?? '');
  const evaluator = pick(evaluators, chosen.evaluator, evaluators[0] ?? '');
  const ready = first !== '' && second !== '' && evaluator !== '';
  const variables = useMemo(
    () => ({ from: period.from.toISOString(), to: period.to.toISOString(), models: [first, second], evaluator, filter: { ...filter, model: undefined } }),
    [period, first, second, evaluator, filter],
  );
  const { data, error } = useAnalyticsQuery(modelComparisonQuery, variables, { skip: !ready });
  const comparison = data?.modelComparison;
  const select = (label: string, value: string, options: string[], key: keyof typeof chosen, testId: string) => (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={event => setChosen(current => ({ ...current, [key]: event.target.value }))}
      sx={{ minWidth: 220 }}
      slotProps={{ htmlInput: { 'data-testid': testId } }}
    >
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <Card data-testid="model-comparison">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="h6" gutterBottom>
          Compare two models
        </Typography>
        {!ready && <Typography color="text.secondary">Two models with scored requests are needed for a comparison.</Typography>}
        {ready && (
          <Stack direction="row" spacing={2} flexWrap="wrap" useFlexGap sx={{ mb: 2 }}>
            {select('Model', first, models, 'first', 'compare-first-model')}
            {select('with', second, models.filter(model => model !== first), 'second', 'compare-second-model')}
            {select('on evaluator', evaluator, evaluators, 'evaluator', 'compare-evaluator')}
          </Stack>
        )}
        {error && <Alert severity="error">{error.message}</Alert>}
        {comparison && (
          <>
            <Table size="small" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
              <TableHead>
                <TableRow>
                  <TableCell>Model</TableCell>
                  <TableCell align="right">Rate</TableCell>
                  <TableCell align="right">95% interval</TableCell>
                  <TableCell align="right">Hallucinated / scored</TableCell>
                  <TableCell align="right">Mean score</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {comparison.rows.map(row => (
                  <TableRow key={row.model}>
                    <TableCell>{row.model}</TableCell>
                    <TableCell align="right">{formatRate(row.rate)}</TableCell>
                    <TableCell align="right">
                      {row.rateLow == null ? '—' : `${formatRate(row.rateLow)} – ${formatRate(row.rateHigh)}`}
                    </TableCell>
                    <TableCell align="right">
                      {formatCount(row.hallucinated)} / {formatCount(row.scored)}
                    </TableCell>
                    <TableCell align="right">{row.meanValue == null ? '—' : mean.format(row.meanValue)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Typography variant="body2" sx={{ mt: 1 }} data-testid="comparison-verdict">
              {comparisonVerdict(comparison.rateDifference, comparison.pValue)}
            </Typography>
          </>
        )}
      </CardContent>
    </Card>
  );
}

function comparisonVerdict(difference: number | null, pValue: number | null): string {
  if (difference === null || pValue === null) return 'Not enough scored requests on both sides to test the difference.';
  const points = `${Math.abs(difference * 100).toFixed(1)} percentage points ${difference > 0 ? 'higher' : 'lower'} for the first model`;
  const significance = pValue < 0.05 ? 'a real difference (p < 0.05)' : 'could be chance (p ≥ 0.05)';
  return `${points}: ${significance}, p = ${pValue < 0.001 ? '< 0.001' : pValue.toFixed(3)}.`;
}
