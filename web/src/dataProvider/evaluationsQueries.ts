import { gql, type TypedDocumentNode } from '@apollo/client';

// Hallucination analytics (server: modules/evals). Counts are exact; `rate` is hallucinated / scored, null when
// nothing was scored.

export interface EvaluationFilter {
  team?: string;
  model?: string;
  evaluator?: string;
}

export interface HallucinationRateRow {
  model?: string | null;
  evaluator?: string | null;
  day?: string | null;
  requests: number;
  scored: number;
  hallucinated: number;
  rate: number | null;
}

export interface ScoreBucket {
  lower: number | null;
  upper: number | null;
  label: string;
  count: number;
  hallucinated: number;
}

export interface ScoreDistribution {
  name: string;
  dataType: string;
  direction: string | null;
  threshold: number | null;
  scores: number;
  buckets: ScoreBucket[];
}

export interface EvaluationsDashboardData {
  totals: HallucinationRateRow[];
  byDay: HallucinationRateRow[];
  byDayAndEvaluator: HallucinationRateRow[];
  byModel: HallucinationRateRow[];
  byEvaluator: HallucinationRateRow[];
  distributions: ScoreDistribution[];
}

export interface EvaluationsDashboardVariables {
  from: string;
  to: string;
  filter: EvaluationFilter;
}

const rateFields = 'requests scored hallucinated rate';

export const evaluationsDashboardQuery: TypedDocumentNode<EvaluationsDashboardData, EvaluationsDashboardVariables> = gql`
  query EvaluationsDashboard($from: DateTime!, $to: DateTime!, $filter: EvaluationFilter) {
    totals: hallucinationRate(from: $from, to: $to, groupBy: [], filter: $filter) { ${rateFields} }
    byDay: hallucinationRate(from: $from, to: $to, groupBy: [DAY], filter: $filter) { day ${rateFields} }
    byDayAndEvaluator: hallucinationRate(from: $from, to: $to, groupBy: [DAY, EVALUATOR], filter: $filter) { day evaluator ${rateFields} }
    byModel: hallucinationRate(from: $from, to: $to, groupBy: [MODEL], filter: $filter) { model ${rateFields} }
    byEvaluator: hallucinationRate(from: $from, to: $to, groupBy: [EVALUATOR], filter: $filter) { evaluator ${rateFields} }
    distributions: scoreDistributions(from: $from, to: $to, buckets: 10, filter: $filter) {
      name dataType direction threshold scores buckets { lower upper label count hallucinated }
    }
  }
`;

export interface ScoredRequest {
  requestId: string;
  team: string;
  model: string;
  timestamp: string;
  evaluator: string;
  value: number | null;
  booleanValue: boolean | null;
  label: string;
  hallucinated: boolean | null;
  comment: string;
}

export interface WorstRequestsVariables {
  from: string;
  to: string;
  name: string;
  filter: EvaluationFilter;
}

export const worstRequestsQuery: TypedDocumentNode<{ worstScoredRequests: ScoredRequest[] }, WorstRequestsVariables> = gql`
  query WorstScoredRequests($from: DateTime!, $to: DateTime!, $name: String!, $filter: EvaluationFilter) {
    worstScoredRequests(from: $from, to: $to, name: $name, limit: 15, filter: $filter) {
      requestId team model timestamp evaluator value booleanValue label hallucinated comment
    }
  }
`;

export interface ModelComparisonRow {
  model: string;
  requests: number;
  scored: number;
  hallucinated: number;
  rate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
  meanValue: number | null;
}

export interface ModelComparison {
  evaluator: string;
  rows: ModelComparisonRow[];
  rateDifference: number | null;
  pValue: number | null;
}

export interface ModelComparisonVariables {
  from: string;
  to: string;
  models: string[];
  evaluator: string;
  filter: EvaluationFilter;
}

export const modelComparisonQuery: TypedDocumentNode<{ modelComparison: ModelComparison }, ModelComparisonVariables> = gql`
  query ModelComparison($from: DateTime!, $to: DateTime!, $models: [String!]!, $evaluator: String!, $filter: EvaluationFilter) {
    modelComparison(from: $from, to: $to, models: $models, evaluator: $evaluator, filter: $filter) {
      evaluator
      rows { model requests scored hallucinated rate rateLow rateHigh meanValue }
      rateDifference
      pValue
    }
  }
`;
