import { gql, type TypedDocumentNode } from '@apollo/client';

// Typed analytics documents. They ask only for the fields of the contract, so the server may grow others.

export type TimeBucket = 'DAY' | 'HOUR';

/** The all-in figures every spend row carries: exact decimal strings (Decimal), flagged when partly estimated. */
export interface AllInCost {
  onPremCostUsd: string;
  totalCostUsd: string;
  estimated: boolean;
  idle: boolean;
}

export interface SpendTotalsRow extends AllInCost {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  unpricedRequests: number;
  latencyP95Ms: number | null;
}

export interface CostOverTimeRow extends AllInCost {
  team?: string | null;
  model?: string | null;
  day: string | null;
  hour: string | null;
  costUsd: number;
}

export interface TopModelRow {
  model: string | null;
  provider: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedRequests: number;
  latencyP95Ms: number | null;
}

export interface TopTeamRow extends AllInCost {
  team: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedRequests: number;
}

export interface UnpricedModel {
  model: string;
  provider: string;
  requests: number;
}

export interface SpendDashboardData {
  totals: SpendTotalsRow[];
  costByTeam: CostOverTimeRow[];
  costByModel: CostOverTimeRow[];
  topModels: TopModelRow[];
  topTeams: TopTeamRow[];
  unpricedModels: UnpricedModel[];
}

export interface SpendDashboardVariables {
  from: string;
  to: string;
  timeBucket: TimeBucket;
}

export const spendDashboardQuery: TypedDocumentNode<SpendDashboardData, SpendDashboardVariables> = gql`
  query SpendDashboard($from: DateTime!, $to: DateTime!, $timeBucket: SpendDimension!) {
    totals: spend(from: $from, to: $to, groupBy: []) {
      requests
      inputTokens
      outputTokens
      cachedInputTokens
      costUsd
      unpricedRequests
      latencyP95Ms
      onPremCostUsd
      totalCostUsd
      estimated
      idle
    }
    costByTeam: spend(from: $from, to: $to, groupBy: [TEAM, $timeBucket]) {
      team
      day
      hour
      costUsd
      onPremCostUsd
      totalCostUsd
      estimated
      idle
    }
    costByModel: spend(from: $from, to: $to, groupBy: [MODEL, $timeBucket]) {
      model
      day
      hour
      costUsd
      onPremCostUsd
      totalCostUsd
      estimated
      idle
    }
    topModels: spend(from: $from, to: $to, groupBy: [MODEL, PROVIDER]) {
      model
      provider
      requests
      inputTokens
      outputTokens
      costUsd
      unpricedRequests
      latencyP95Ms
    }
    topTeams: spend(from: $from, to: $to, groupBy: [TEAM]) {
      team
      requests
      inputTokens
      outputTokens
      costUsd
      unpricedRequests
      onPremCostUsd
      totalCostUsd
      estimated
      idle
    }
    unpricedModels(from: $from, to: $to) {
      model
      provider
      requests
    }
  }
`;
