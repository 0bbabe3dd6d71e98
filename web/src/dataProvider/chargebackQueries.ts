import { gql, type TypedDocumentNode } from '@apollo/client';

export interface TeamBudget {
  team: string;
  spentUsd: string;
  apiCostUsd: string;
  onPremCostUsd: string;
  limitUsd: string | null;
  limitSource: string | null;
  forecastUsd: string;
  forecastLowUsd: string;
  forecastHighUsd: string;
  projectedOverrun: boolean;
  overrunDate: string | null;
  includesEstimate: boolean;
}

export const teamBudgetsQuery: TypedDocumentNode<{ teamBudgets: TeamBudget[] }, { month: string }> = gql`
  query TeamBudgets($month: String!) {
    teamBudgets(month: $month) {
      team
      spentUsd
      apiCostUsd
      onPremCostUsd
      limitUsd
      limitSource
      forecastUsd
      forecastLowUsd
      forecastHighUsd
      projectedOverrun
      overrunDate
      includesEstimate
    }
  }
`;

export interface ChargebackReport {
  id: string;
  month: string;
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
  totalCostUsd: string | null;
  csvUrl: string;
  htmlUrl: string;
}

export const chargebackReportsQuery: TypedDocumentNode<{ chargebackReports: ChargebackReport[] }, Record<string, never>> = gql`
  query ChargebackReports {
    chargebackReports {
      id
      month
      requestedBy
      createdAt
      completedAt
      totalCostUsd
      csvUrl
      htmlUrl
    }
  }
`;

export interface Job {
  id: string;
  name: string;
  state: string;
  progress: number;
  error: string | null;
}

export const createChargebackReportMutation: TypedDocumentNode<{ createChargebackReport: Job }, { month: string }> = gql`
  mutation CreateChargebackReport($month: String!) {
    createChargebackReport(month: $month) {
      id
      name
      state
      progress
      error
    }
  }
`;

export const jobQuery: TypedDocumentNode<{ job: Job | null }, { id: string }> = gql`
  query Job($id: ID!) {
    job(id: $id) {
      id
      name
      state
      progress
      error
    }
  }
`;

export interface MeasuredPrice {
  id: string;
  modelPattern: string;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  effectiveFrom: string;
}

export const setInternalPriceMutation: TypedDocumentNode<{ setInternalPrice: MeasuredPrice }, { node: string; model: string; from: string; to?: string }> = gql`
  mutation SetInternalPrice($node: String!, $model: String!, $from: DateTime!, $to: DateTime) {
    setInternalPrice(node: $node, model: $model, from: $from, to: $to) {
      id
      modelPattern
      inputPerMillionUsd
      outputPerMillionUsd
      effectiveFrom
    }
  }
`;
