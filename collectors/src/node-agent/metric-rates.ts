/**
 * Turns two scrapes into the reported metrics: counters become per-second rates and the TTFT histogram the
 * quantiles of the requests in between. Times are the agent's monotonic clock, not the engine's.
 */
import type { EngineReading } from './engine-metrics';
import { histogramIncrease, histogramQuantile, observationCount } from './histogram';
import type { NodeMetrics, TimeToFirstTokenQuantiles } from './node-report';

export interface Scrape {
  readonly reading: EngineReading;
  /** Monotonic milliseconds (performance.now()) when the scrape finished. */
  readonly atMilliseconds: number;
}

/** PromQL's increase(): a counter that went down was reset (the engine restarted) and counts from zero. */
function counterIncrease(previous: number, current: number): number {
  return current >= previous ? current - previous : current;
}

function rate(previous: number | null | undefined, current: number | null, elapsedSeconds: number | undefined): number | null {
  if (previous === null || previous === undefined || current === null || elapsedSeconds === undefined || elapsedSeconds <= 0) return null;
  return round(counterIncrease(previous, current) / elapsedSeconds);
}

function round(value: number, decimals = 3): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function ttft(previous: Scrape | undefined, current: Scrape): TimeToFirstTokenQuantiles | null {
  const now = current.reading.timeToFirstToken;
  if (now === null) return null;
  const then = previous?.reading.timeToFirstToken ?? null;
  const window = then === null ? 'engine_lifetime' : 'interval';
  const histogram = then === null ? now : histogramIncrease(then, now);
  const observations = observationCount(histogram);
  if (observations === undefined) return null; // incomplete histogram (body cut short): no honest quantile
  const quantile = (q: number): number | null => {
    const value = observations > 0 ? histogramQuantile(q, histogram) : undefined;
    return value === undefined ? null : round(value, 4);
  };
  return { window, observations, p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99) };
}

export function reportedMetrics(previous: Scrape | undefined, current: Scrape): NodeMetrics {
  const elapsedSeconds = previous === undefined ? undefined : (current.atMilliseconds - previous.atMilliseconds) / 1000;
  const { reading } = current;
  return {
    queueDepth: reading.queueDepth,
    running: reading.running,
    kvCacheUsageRatio: reading.kvCacheUsageRatio === null ? null : round(reading.kvCacheUsageRatio, 4),
    promptTokensPerSecond: rate(previous?.reading.promptTokensTotal, reading.promptTokensTotal, elapsedSeconds),
    generationTokensPerSecond: rate(previous?.reading.generationTokensTotal, reading.generationTokensTotal, elapsedSeconds),
    ttftSeconds: ttft(previous, current),
    error: null,
  };
}

export const NO_METRICS: NodeMetrics = {
  queueDepth: null,
  running: null,
  kvCacheUsageRatio: null,
  promptTokensPerSecond: null,
  generationTokensPerSecond: null,
  ttftSeconds: null,
  error: null,
};
