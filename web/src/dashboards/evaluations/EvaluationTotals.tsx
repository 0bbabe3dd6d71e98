import type { HallucinationRateRow } from '../../dataProvider/evaluationsQueries';
import { formatCount } from '../../format';
import { TotalCards, type TotalCardProps } from '../TotalCards';
import { formatRate } from './evaluationFormat';

export function EvaluationTotals({ totals }: { totals: HallucinationRateRow }) {
  const coverage = totals.requests > 0 ? totals.scored / totals.requests : null;
  const cards: TotalCardProps[] = [
    { label: 'Hallucination rate', value: formatRate(totals.rate), detail: 'of the scored requests', testId: 'evaluations-rate' },
    { label: 'Hallucinated requests', value: formatCount(totals.hallucinated), testId: 'evaluations-hallucinated' },
    { label: 'Scored requests', value: formatCount(totals.scored), detail: `${formatRate(coverage)} of all requests`, testId: 'evaluations-scored' },
    { label: 'Requests', value: formatCount(totals.requests), testId: 'evaluations-requests' },
  ];
  return <TotalCards cards={cards} size={{ xs: 12, sm: 6, md: 'grow' }} />;
}
