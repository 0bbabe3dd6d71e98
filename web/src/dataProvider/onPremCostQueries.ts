import { gql, type TypedDocumentNode } from '@apollo/client';

// GPU cost per token on our own nodes, next to hosted API prices (server: modules/gpu, onPremCost).
// The *Usd floats are for display; the server also returns exact nano-USD strings, not needed on screen.

export interface OnPremModelCost {
  node: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  busyHours: number;
  allocatedCostUsd: number;
  usdPerMillionInputTokens: number | null;
  usdPerMillionOutputTokens: number | null;
}

export interface OnPremNodeCost {
  node: string;
  observedHours: number;
  busyHours: number;
  idleHours: number;
  totalCostUsd: number;
  energyKwh: number;
  allocatedCostUsd: number;
  idleCostUsd: number;
}

export interface HostedModelPrice {
  model: string;
  priced: boolean;
  provider: string | null;
  usdPerMillionInputTokens: number | null;
  usdPerMillionOutputTokens: number | null;
  costOfServedTokensUsd: number | null;
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
  totalCostUsd: number;
  idleCostUsd: number;
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
      idleCostUsd
    }
  }
`;
