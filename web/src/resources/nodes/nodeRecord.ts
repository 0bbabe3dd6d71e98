// An inference node as the GraphQL `Node` type returns it. Rates are exact decimal strings (the Decimal scalar)
// of the version in force now; the history is in nodeRateVersions.
export interface NodeRecord {
  id: string;
  name: string;
  kind: string;
  labels: { key: string; value: string }[];
  hourlyCostUsd: string;
  energyPriceUsdPerKwh: string;
  powerOverheadFactor: string;
  ratesEffectiveFrom: string | null;
  notes: string;
  /** The team that carries the node's idle hours in chargeback; null: the node keeps them. */
  ownerTeam?: string | null;
  createdAt: string;
  updatedAt: string;
  // What the node agent last reported (server: modules/nodes/agent); null/empty before its first heartbeat.
  lastHeartbeatAt?: string | null;
  agentVersion?: string | null;
  engineVersion?: string | null;
  engineKind?: string | null;
  engineUp?: boolean | null;
  engineError?: string | null;
  /** The agent heartbeated once, then not within WARDEN_AGENT_SILENT_AFTER_SECONDS. */
  agentSilent?: boolean;
  servedModels?: string[];
  // Routing (the gateway's fields).
  location?: string;
  baseUrl?: string;
  declaredModels?: string[];
  discoveredModels?: string[];
  models?: string[];
  enabled?: boolean;
  health?: { status: string; latencyMs: number | null; checkedAt: string | null; error: string | null } | null;
  flaggedModels?: string[];
  routingPreference?: number | null;
}

/** Every model the node is known to serve: routed (declared and discovered) and reported by its agent. */
export function modelsOfNode(node: NodeRecord): string[] {
  return [...new Set([...(node.models ?? []), ...(node.declaredModels ?? []), ...(node.discoveredModels ?? []), ...(node.servedModels ?? [])])].sort();
}

export const nodeKindChoices = [
  { id: 'vllm', name: 'vLLM' },
  { id: 'tgi', name: 'TGI' },
  { id: 'llama.cpp', name: 'llama.cpp' },
  { id: 'ollama', name: 'Ollama' },
  { id: 'other', name: 'Other' },
];
