/**
 * What one scrape of an engine's /metrics says, in engine-neutral terms. Each engine names things its own way
 * (sources: vLLM's docs/design/metrics, TGI's reference/metrics, llama.cpp's tools/server/README):
 *
 * | reading                | vLLM                                                   | TGI                                   | llama.cpp                          |
 * |------------------------|--------------------------------------------------------|---------------------------------------|------------------------------------|
 * | queueDepth             | vllm:num_requests_waiting                              | tgi_queue_size                        | llamacpp:requests_deferred         |
 * | running                | vllm:num_requests_running                              | tgi_batch_current_size                | llamacpp:requests_processing       |
 * | kvCacheUsageRatio      | vllm:kv_cache_usage_perc (V1) or gpu_cache_usage_perc  | —                                     | llamacpp:kv_cache_usage_ratio      |
 * | promptTokensTotal      | vllm:prompt_tokens_total                               | tgi_request_input_length (sum)        | llamacpp:prompt_tokens_total       |
 * | generationTokensTotal  | vllm:generation_tokens_total                           | tgi_request_generated_tokens (sum)    | llamacpp:tokens_predicted_total    |
 * | timeToFirstToken       | vllm:time_to_first_token_seconds (histogram)           | —                                     | —                                  |
 *
 * Gauges and counters are added over every series (one per model, or per engine with data parallelism); the
 * KV-cache ratio takes the fullest series, the one that limits admission. vLLM's `_perc` gauges are ratios
 * (1 = full) despite the name. A value the engine does not expose is null, never 0.
 */
import type { EngineKind } from './engine-kind';
import { readHistogram, type Histogram } from './histogram';
import { samplesNamed, type Exposition } from './prometheus-text';

export interface EngineReading {
  readonly queueDepth: number | null;
  readonly running: number | null;
  readonly kvCacheUsageRatio: number | null;
  /** Counters since the engine started. */
  readonly promptTokensTotal: number | null;
  readonly generationTokensTotal: number | null;
  readonly timeToFirstToken: Histogram | null;
}

const NO_READING: EngineReading = {
  queueDepth: null,
  running: null,
  kvCacheUsageRatio: null,
  promptTokensTotal: null,
  generationTokensTotal: null,
  timeToFirstToken: null,
};

function finiteValues(exposition: Exposition, name: string): number[] {
  return samplesNamed(exposition, name)
    .map((sample) => sample.value)
    .filter((value) => Number.isFinite(value));
}

function sumOf(exposition: Exposition, name: string): number | null {
  const values = finiteValues(exposition, name);
  return values.length === 0 ? null : values.reduce((total, value) => total + value, 0);
}

function maxOf(exposition: Exposition, name: string): number | null {
  const values = finiteValues(exposition, name);
  return values.length === 0 ? null : Math.max(...values);
}

function histogramSum(exposition: Exposition, name: string): number | null {
  return readHistogram(exposition, name)?.sum ?? sumOf(exposition, `${name}_sum`);
}

export function readEngineMetrics(kind: EngineKind, exposition: Exposition): EngineReading {
  switch (kind) {
    case 'vllm':
      return {
        queueDepth: sumOf(exposition, 'vllm:num_requests_waiting'),
        running: sumOf(exposition, 'vllm:num_requests_running'),
        kvCacheUsageRatio: maxOf(exposition, 'vllm:kv_cache_usage_perc') ?? maxOf(exposition, 'vllm:gpu_cache_usage_perc'),
        promptTokensTotal: sumOf(exposition, 'vllm:prompt_tokens_total'),
        generationTokensTotal: sumOf(exposition, 'vllm:generation_tokens_total'),
        timeToFirstToken: readHistogram(exposition, 'vllm:time_to_first_token_seconds') ?? null,
      };
    case 'tgi':
      return {
        ...NO_READING,
        queueDepth: sumOf(exposition, 'tgi_queue_size'),
        running: sumOf(exposition, 'tgi_batch_current_size'),
        // Recorded when a request finishes: a rate of tokens of finished requests.
        promptTokensTotal: histogramSum(exposition, 'tgi_request_input_length'),
        generationTokensTotal: histogramSum(exposition, 'tgi_request_generated_tokens'),
      };
    case 'llama.cpp':
      return {
        ...NO_READING,
        queueDepth: sumOf(exposition, 'llamacpp:requests_deferred'),
        running: sumOf(exposition, 'llamacpp:requests_processing'),
        // Builds since the unified KV cache (2025) no longer export this gauge: then null.
        kvCacheUsageRatio: maxOf(exposition, 'llamacpp:kv_cache_usage_ratio'),
        promptTokensTotal: sumOf(exposition, 'llamacpp:prompt_tokens_total'),
        generationTokensTotal: sumOf(exposition, 'llamacpp:tokens_predicted_total'),
      };
    case 'ollama':
    case 'openai-compatible':
      return NO_READING;
  }
}

/** The engine whose metric names the exposition carries; undefined when none of the known prefixes. */
export function engineKindOfExposition(exposition: Exposition): EngineKind | undefined {
  for (const family of exposition.families.values()) {
    for (const sample of family.samples) {
      if (sample.name.startsWith('vllm:')) return 'vllm';
      if (sample.name.startsWith('tgi_')) return 'tgi';
      if (sample.name.startsWith('llamacpp:')) return 'llama.cpp';
    }
  }
  return undefined;
}
