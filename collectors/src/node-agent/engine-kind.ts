/** The inference engines the agent knows how to read. */
export const ENGINE_KINDS = ['vllm', 'tgi', 'llama.cpp', 'ollama', 'openai-compatible'] as const;

export type EngineKind = (typeof ENGINE_KINDS)[number];

export function isEngineKind(value: string): value is EngineKind {
  return (ENGINE_KINDS as readonly string[]).includes(value);
}

/** Engines with a Prometheus /metrics the agent reads; Ollama and plain OpenAI-compatible servers have none. */
export function hasPrometheusMetrics(kind: EngineKind): boolean {
  return kind === 'vllm' || kind === 'tgi' || kind === 'llama.cpp';
}
