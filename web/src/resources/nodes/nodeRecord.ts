// An inference node as the GraphQL `Node` type returns it.
export interface NodeRecord {
  id: string;
  name: string;
  kind: string;
  labels: { key: string; value: string }[];
  hourlyCostUsd: number;
  hourlyCostUsdExact: string;
  energyPriceUsdPerKwh: number;
  energyPriceUsdPerKwhExact: string;
  powerOverheadFactor: number;
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
