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
  createdAt: string;
  updatedAt: string;
}

export const nodeKindChoices = [
  { id: 'vllm', name: 'vLLM' },
  { id: 'tgi', name: 'TGI' },
  { id: 'llama.cpp', name: 'llama.cpp' },
  { id: 'ollama', name: 'Ollama' },
  { id: 'other', name: 'Other' },
];
