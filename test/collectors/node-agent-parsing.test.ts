/**
 * The node agent's reading of Prometheus text: the parser on the real vLLM capture (cut short in its
 * source) and on the format's corners, histograms and their quantiles, each engine's names, and the rates
 * between two scrapes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineKindOfExposition, readEngineMetrics } from '../../collectors/src/node-agent/engine-metrics';
import { histogramIncrease, histogramQuantile, readHistogram, type Histogram } from '../../collectors/src/node-agent/histogram';
import { reportedMetrics } from '../../collectors/src/node-agent/metric-rates';
import { parsePrometheusText, samplesNamed } from '../../collectors/src/node-agent/prometheus-text';
import { LLAMA_CPP_SAMPLE, TGI_SAMPLE, VLLM_SAMPLE } from './node-agent/fake-engine';

const MODEL = 'Qwen/Qwen2.5-Coder-1.5B-Instruct';

describe('Prometheus text on the real vLLM capture', () => {
  const exposition = parsePrometheusText(VLLM_SAMPLE);

  it('reads every line: 14 families, 29 samples, no unreadable line', () => {
    expect(exposition.invalidLines).toEqual([]);
    expect(exposition.families.size).toBe(14);
    const samples = [...exposition.families.values()].reduce((count, family) => count + family.samples.length, 0);
    expect(samples).toBe(29);
  });

  it('keeps types, help texts, label values and numbers as written', () => {
    const running = exposition.families.get('vllm:num_requests_running');
    expect(running?.type).toBe('gauge');
    expect(running?.help).toBe('Number of requests currently running on GPU.');
    expect(running?.samples).toEqual([{ name: 'vllm:num_requests_running', labels: { model_name: MODEL }, value: 0 }]);

    const cacheConfig = exposition.families.get('vllm:cache_config_info')?.samples[0];
    expect(cacheConfig?.labels.num_gpu_blocks).toBe('81767');
    expect(cacheConfig?.labels.gpu_memory_utilization).toBe('0.9');
    expect(Object.keys(cacheConfig?.labels ?? {})).toHaveLength(12);

    const lora = samplesNamed(exposition, 'vllm:lora_requests_info')[0];
    expect(lora?.labels).toEqual({ max_lora: '0', running_lora_adapters: '', waiting_lora_adapters: '' });
    expect(lora?.value).toBe(1.7382173358407154e9);

    expect(samplesNamed(exposition, 'vllm:gpu_prefix_cache_hit_rate')[0]?.value).toBe(-1);
    expect(exposition.families.get('vllm:prompt_tokens_total')?.type).toBe('counter');
    expect(samplesNamed(exposition, 'vllm:generation_tokens_total')[0]?.value).toBe(955);
  });

  it('files a histogram\'s _sum and _bucket samples under its family', () => {
    const family = exposition.families.get('vllm:iteration_tokens_total');
    expect(family?.type).toBe('histogram');
    expect(family?.samples.map((sample) => sample.name)).toEqual([
      'vllm:iteration_tokens_total_sum',
      ...Array.from({ length: 15 }, () => 'vllm:iteration_tokens_total_bucket'),
    ]);
  });

  it('knows the capture\'s histogram is incomplete (cut before +Inf and _count) and places no quantile in it', () => {
    const histogram = readHistogram(exposition, 'vllm:iteration_tokens_total') as Histogram;
    expect(histogram.complete).toBe(false);
    expect(histogram.sum).toBe(1103);
    expect(histogram.count).toBeUndefined();
    expect(histogram.buckets).toHaveLength(15);
    expect(histogram.buckets[0]).toEqual({ upperBound: 1, cumulativeCount: 994 });
    expect(histogram.buckets.at(-1)).toEqual({ upperBound: 96, cumulativeCount: 998 });
    expect(histogramQuantile(0.5, histogram)).toBeUndefined();
  });

  it('reads a body cut mid-line as the lines before it plus one named bad line, never a wrong number', () => {
    // "…} 998.0\n" cut to "…} 99": a number that parses, but the line has no line feed.
    const lastValue = VLLM_SAMPLE.lastIndexOf('998.0');
    const cut = parsePrometheusText(VLLM_SAMPLE.slice(0, lastValue + 2));
    expect(cut.invalidLines).toHaveLength(1);
    expect(cut.invalidLines[0]?.lineNumber).toBe(56);
    expect(cut.invalidLines[0]?.reason).toMatch(/cut short/);
    const buckets = samplesNamed(cut, 'vllm:iteration_tokens_total_bucket');
    expect(buckets).toHaveLength(14);
    expect(buckets.some((sample) => sample.value === 99)).toBe(false);

    const inLabel = parsePrometheusText(VLLM_SAMPLE.slice(0, VLLM_SAMPLE.indexOf('model_name="Qwen', VLLM_SAMPLE.indexOf('vllm:num_requests_waiting{')) + 20) + '\n');
    expect(inLabel.invalidLines).toEqual([expect.objectContaining({ lineNumber: 11, reason: expect.stringMatching(/unterminated quoted string/) as unknown })]);
  });
});

describe('Prometheus text: the format\'s corners', () => {
  it('unescapes \\\\, \\" and \\n in label values and \\\\, \\n in help texts', () => {
    const exposition = parsePrometheusText(
      ['# HELP demo_total A help\\nwith two lines and a \\\\ backslash', '# TYPE demo_total counter', 'demo_total{path="C:\\\\models\\\\q.gguf",quote="say \\"hi\\"",lines="a\\nb"} 3', ''].join('\n'),
    );
    expect(exposition.invalidLines).toEqual([]);
    const family = exposition.families.get('demo_total');
    expect(family?.help).toBe('A help\nwith two lines and a \\ backslash');
    expect(family?.samples[0]?.labels).toEqual({ path: 'C:\\models\\q.gguf', quote: 'say "hi"', lines: 'a\nb' });
  });

  it('reads NaN, ±Inf, exponents, timestamps, trailing commas, tabs, CRLF and exemplars', () => {
    const exposition = parsePrometheusText(
      [
        'a NaN',
        'b{x="1",} +Inf 1700000000000',
        'c -Inf',
        'd\t1.5e-3',
        'e{le="0.5"} 7 # {trace_id="abc"} 0.3 1700000000.123',
        'f 2\r',
        '',
      ].join('\n'),
    );
    expect(exposition.invalidLines).toEqual([]);
    expect(Number.isNaN(samplesNamed(exposition, 'a')[0]?.value)).toBe(true);
    expect(samplesNamed(exposition, 'b')[0]).toEqual({ name: 'b', labels: { x: '1' }, value: Number.POSITIVE_INFINITY, timestampMilliseconds: 1_700_000_000_000 });
    expect(samplesNamed(exposition, 'c')[0]?.value).toBe(Number.NEGATIVE_INFINITY);
    expect(samplesNamed(exposition, 'd')[0]?.value).toBe(0.0015);
    expect(samplesNamed(exposition, 'e')[0]?.value).toBe(7);
    expect(samplesNamed(exposition, 'f')[0]?.value).toBe(2);
  });

  it('reads Prometheus 3 quoted UTF-8 names, and stops at # EOF', () => {
    const exposition = parsePrometheusText('# TYPE "http.requests" counter\n{"http.requests", method="GET"} 3\n# EOF\nafter_eof 1\n');
    expect(exposition.invalidLines).toEqual([]);
    expect(samplesNamed(exposition, 'http.requests')[0]?.labels).toEqual({ method: 'GET' });
    expect(exposition.families.get('http.requests')?.type).toBe('counter');
    expect(samplesNamed(exposition, 'after_eof')).toEqual([]);
  });

  it('files prometheus_client counters (TYPE without _total) and their _created under one family', () => {
    const exposition = parsePrometheusText(
      `# TYPE vllm:prompt_tokens counter\nvllm:prompt_tokens_total{model_name="m"} 5.0\nvllm:prompt_tokens_created{model_name="m"} 1.7e9\n`,
    );
    expect(exposition.families.get('vllm:prompt_tokens')?.samples.map((sample) => sample.name)).toEqual(['vllm:prompt_tokens_total', 'vllm:prompt_tokens_created']);
    expect(readEngineMetrics('vllm', exposition).promptTokensTotal).toBe(5);
  });

  it('names each bad line and keeps the good ones', () => {
    const exposition = parsePrometheusText(
      [
        'good 1',
        'no_value',
        'bad_value{a="1"} abc',
        'twice{a="1",a="2"} 1',
        'bad_escape{a="\\t"} 1',
        'open{a="1" 1',
        '# TYPE weird fancytype',
        'glued{a="1"}1',
        'also_good{a="x"} 2',
        '',
      ].join('\n'),
    );
    expect(exposition.invalidLines.map((line) => [line.lineNumber, line.reason])).toEqual([
      [2, 'sample without a value (line cut short?)'],
      [3, '"abc" is not a number'],
      [4, 'label a appears twice'],
      [5, 'invalid escape \\t in a quoted string'],
      [6, 'expected "," or "}" at column 12'],
      [7, 'unknown metric type "fancytype"'],
      [8, 'expected a space before the value at column 13'],
    ]);
    expect(samplesNamed(exposition, 'good')[0]?.value).toBe(1);
    expect(samplesNamed(exposition, 'also_good')[0]?.value).toBe(2);
  });
});

describe('histograms', () => {
  // A vLLM-shaped TTFT histogram (bucket bounds from vLLM's metrics code), two models, written for this test.
  const ttftBody = (counts: { fast: number[]; slow: number[] }): string =>
    [
      '# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.',
      '# TYPE vllm:time_to_first_token_seconds histogram',
      ...(['fast', 'slow'] as const).flatMap((model) => {
        const bounds = ['0.1', '0.5', '1.0', '+Inf'];
        const cumulative = counts[model];
        return [
          ...bounds.map((bound, index) => `vllm:time_to_first_token_seconds_bucket{le="${bound}",model_name="${model}"} ${cumulative[index]}.0`),
          `vllm:time_to_first_token_seconds_count{model_name="${model}"} ${cumulative[3]}.0`,
          `vllm:time_to_first_token_seconds_sum{model_name="${model}"} ${(cumulative[3] ?? 0) * 0.25}`,
        ];
      }),
      '',
    ].join('\n');

  it('adds the series of every model together, bucket by bucket', () => {
    const histogram = readHistogram(parsePrometheusText(ttftBody({ fast: [8, 10, 10, 10], slow: [2, 20, 30, 30] })), 'vllm:time_to_first_token_seconds') as Histogram;
    expect(histogram.complete).toBe(true);
    expect(histogram.buckets.map((bucket) => [bucket.upperBound, bucket.cumulativeCount])).toEqual([
      [0.1, 10],
      [0.5, 30],
      [1, 40],
      [Number.POSITIVE_INFINITY, 40],
    ]);
    expect(histogram.count).toBe(40);
    expect(histogram.sum).toBe(10);
  });

  it('places quantiles as PromQL histogram_quantile does', () => {
    const histogram: Histogram = {
      buckets: [
        { upperBound: 0.1, cumulativeCount: 10 },
        { upperBound: 0.5, cumulativeCount: 30 },
        { upperBound: 1, cumulativeCount: 40 },
        { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 40 },
      ],
      sum: 10,
      count: 40,
      complete: true,
    };
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.3, 10); // rank 20: 0.1 + 0.4 × 10/20
    expect(histogramQuantile(0.99, histogram)).toBeCloseTo(0.98, 10); // rank 39.6: 0.5 + 0.5 × 9.6/10
    expect(histogramQuantile(0.1, histogram)).toBeCloseTo(0.04, 10); // rank 4 in the first bucket, from 0
    const tail: Histogram = { ...histogram, buckets: [{ upperBound: 0.1, cumulativeCount: 10 }, { upperBound: Number.POSITIVE_INFINITY, cumulativeCount: 20 }], count: 20 };
    expect(histogramQuantile(0.9, tail)).toBe(0.1); // in +Inf: the highest finite bound
    expect(histogramQuantile(0.5, { ...histogram, buckets: histogram.buckets.map((bucket) => ({ ...bucket, cumulativeCount: 0 })), count: 0 })).toBeUndefined();
  });

  it('differences two scrapes, and treats a count that went down as an engine restart', () => {
    const read = (counts: { fast: number[]; slow: number[] }): Histogram =>
      readHistogram(parsePrometheusText(ttftBody(counts)), 'vllm:time_to_first_token_seconds') as Histogram;
    const before = read({ fast: [8, 10, 10, 10], slow: [2, 20, 30, 30] });
    const after = read({ fast: [18, 20, 20, 20], slow: [2, 20, 30, 31] });
    const increase = histogramIncrease(before, after);
    expect(increase.buckets.map((bucket) => bucket.cumulativeCount)).toEqual([10, 10, 10, 11]);
    expect(increase.count).toBe(11);
    expect(histogramQuantile(0.5, increase)).toBeCloseTo(0.055, 10);

    const restarted = read({ fast: [1, 1, 1, 1], slow: [0, 0, 0, 0] });
    expect(histogramIncrease(after, restarted)).toBe(restarted);
  });
});

describe('engine metric names', () => {
  it('vLLM (the real capture): queue, running, KV cache from gpu_cache_usage_perc, token counters; no TTFT in it', () => {
    const exposition = parsePrometheusText(VLLM_SAMPLE);
    expect(engineKindOfExposition(exposition)).toBe('vllm');
    expect(readEngineMetrics('vllm', exposition)).toEqual({
      queueDepth: 0,
      running: 0,
      kvCacheUsageRatio: 0,
      promptTokensTotal: 148,
      generationTokensTotal: 955,
      timeToFirstToken: null,
    });
  });

  it('vLLM V1: kv_cache_usage_perc first; series of several models added, the fullest cache taken', () => {
    const exposition = parsePrometheusText(
      [
        'vllm:num_requests_running{engine="0",model_name="a"} 3.0',
        'vllm:num_requests_running{engine="0",model_name="b"} 2.0',
        'vllm:num_requests_waiting{engine="0",model_name="a"} 7.0',
        'vllm:kv_cache_usage_perc{engine="0",model_name="a"} 0.25',
        'vllm:kv_cache_usage_perc{engine="0",model_name="b"} 0.75',
        'vllm:gpu_cache_usage_perc{engine="0",model_name="a"} 0.1',
        '',
      ].join('\n'),
    );
    const reading = readEngineMetrics('vllm', exposition);
    expect(reading.running).toBe(5);
    expect(reading.queueDepth).toBe(7);
    expect(reading.kvCacheUsageRatio).toBe(0.75);
    expect(reading.promptTokensTotal).toBeNull();
  });

  it('TGI (written from its docs): queue size, batch size, token histograms\' sums; no KV ratio', () => {
    const exposition = parsePrometheusText(TGI_SAMPLE);
    expect(exposition.invalidLines).toEqual([]);
    expect(engineKindOfExposition(exposition)).toBe('tgi');
    expect(readEngineMetrics('tgi', exposition)).toEqual({
      queueDepth: 4,
      running: 7,
      kvCacheUsageRatio: null,
      promptTokensTotal: 7421,
      generationTokensTotal: 9876,
      timeToFirstToken: null,
    });
  });

  it('llama.cpp (written from its docs): deferred, processing, KV ratio, token counters', () => {
    const exposition = parsePrometheusText(LLAMA_CPP_SAMPLE);
    expect(exposition.invalidLines).toEqual([]);
    expect(engineKindOfExposition(exposition)).toBe('llama.cpp');
    expect(readEngineMetrics('llama.cpp', exposition)).toEqual({
      queueDepth: 1,
      running: 2,
      kvCacheUsageRatio: 0.3125,
      promptTokensTotal: 18352,
      generationTokensTotal: 6402,
      timeToFirstToken: null,
    });
  });

  it('an exposition of none of them names no engine', () => {
    expect(engineKindOfExposition(parsePrometheusText('process_cpu_seconds_total 1\n'))).toBeUndefined();
  });
});

describe('rates between scrapes', () => {
  const vllmAt = (prompt: number, generation: number): string =>
    VLLM_SAMPLE.replace(/^(vllm:prompt_tokens_total\{[^}]*\}) [\d.]+$/m, `$1 ${prompt}.0`).replace(/^(vllm:generation_tokens_total\{[^}]*\}) [\d.]+$/m, `$1 ${generation}.0`);
  const scrape = (body: string, atMilliseconds: number) => ({ reading: readEngineMetrics('vllm', parsePrometheusText(body)), atMilliseconds });

  it('tokens per second from the counters of two scrapes; none from the first', () => {
    const first = scrape(VLLM_SAMPLE, 1_000);
    expect(reportedMetrics(undefined, first)).toMatchObject({ promptTokensPerSecond: null, generationTokensPerSecond: null, queueDepth: 0, running: 0, kvCacheUsageRatio: 0 });
    const second = scrape(vllmAt(148 + 1500, 955 + 6000), 16_000);
    expect(reportedMetrics(first, second)).toMatchObject({ promptTokensPerSecond: 100, generationTokensPerSecond: 400 });
  });

  it('a counter that went down (engine restarted) counts from zero', () => {
    const before = scrape(vllmAt(90_000, 50_000), 0);
    const after = scrape(vllmAt(300, 1_200), 15_000);
    expect(reportedMetrics(before, after)).toMatchObject({ promptTokensPerSecond: 20, generationTokensPerSecond: 80 });
  });

  it('TTFT quantiles over the interval, or since the engine started on the first report; null without the histogram', () => {
    const ttft = (under100ms: number, total: number): string =>
      `${VLLM_SAMPLE}vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} ${under100ms}\nvllm:time_to_first_token_seconds_bucket{le="1.0",model_name="m"} ${total}\nvllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} ${total}\n`;
    const first = scrape(ttft(10, 10), 0);
    expect(reportedMetrics(undefined, first).ttftSeconds).toEqual({ window: 'engine_lifetime', observations: 10, p50: 0.05, p90: 0.09, p99: 0.099 });
    const second = scrape(ttft(10, 20), 15_000); // ten new requests, all between 0.1 and 1 s
    expect(reportedMetrics(first, second).ttftSeconds).toEqual({ window: 'interval', observations: 10, p50: 0.55, p90: 0.91, p99: 0.991 });
    const idle = scrape(ttft(10, 20), 30_000);
    expect(reportedMetrics(second, idle).ttftSeconds).toEqual({ window: 'interval', observations: 0, p50: null, p90: null, p99: null });
    expect(reportedMetrics(undefined, scrape(VLLM_SAMPLE, 0)).ttftSeconds).toBeNull();
  });
});

it('the agent version sent in heartbeats is the collectors package version', async () => {
  const { AGENT_VERSION } = await import('../../collectors/src/node-agent/version');
  const packageJson = JSON.parse(readFileSync(path.resolve(__dirname, '../../collectors/package.json'), 'utf8')) as { version: string };
  expect(AGENT_VERSION).toBe(packageJson.version);
});
