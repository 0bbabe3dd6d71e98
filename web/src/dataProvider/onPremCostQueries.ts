import { gql, type TypedDocumentNode } from '@apollo/client';

// GPU cost per token on our own nodes, next to hosted API prices (server: modules/gpu, onPremCost).
// Money is exact decimal strings (the server's Decimal scalar); totals come in nano-USD too, for exact sums here.

export interface OnPremModelCost {
  node: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  busyHours: number;
  allocatedCostUsd: string;
  usdPerMillionInputTokens: string | null;
  usdPerMillionOutputTokens: string | null;
}

export interface OnPremNodeCost {
  node: string;
  observedHours: number;
  busyHours: number;
  idleHours: number;
  unpricedHours: number;
  totalCostUsd: string;
  energyKwh: number;
  allocatedCostUsd: string;
  idleCostUsd: string;
}

export interface HostedModelPrice {
  model: string;
  priced: boolean;
  provider: string | null;
  usdPerMillionInputTokens: string | null;
  usdPerMillionOutputTokens: string | null;
  costOfServedTokensUsd: string | null;
}

export interface OnPremCost {
  from: string;
  to: string;
  inputTokenWeight: number;
  outputTokenWeight: number;
  method: string;
  models: OnPremModelCost[];
  nodes: OnPremNodeCost[];
  hostedComparison: HostedModelPrice[];
  unregisteredNodes: string[];
  totalCostUsd: string;
  totalCostNanoUsd: string;
  idleCostUsd: string;
  idleCostNanoUsd: string;
}

export interface OnPremCostVariables {
  from: string;
  to: string;
}

export const onPremCostQuery: TypedDocumentNode<{ onPremCost: OnPremCost }, OnPremCostVariables> = gql`
  query OnPremCost($from: DateTime!, $to: DateTime!) {
    onPremCost(from: $from, to: $to) {
      from
      to
      inputTokenWeight
      outputTokenWeight
      method
      models {
        node
        model
        requests
        inputTokens
        outputTokens
        busyHours
        allocatedCostUsd
        usdPerMillionInputTokens
        usdPerMillionOutputTokens
      }
      nodes {
        node
        observedHours
        busyHours
        idleHours
        unpricedHours
        totalCostUsd
        energyKwh
        allocatedCostUsd
        idleCostUsd
      }
      hostedComparison {
        model
        priced
        provider
        usdPerMillionInputTokens
        usdPerMillionOutputTokens
        costOfServedTokensUsd
      }
      unregisteredNodes
      totalCostUsd
      totalCostNanoUsd
      idleCostUsd
      idleCostNanoUsd
    }
  }
`;
