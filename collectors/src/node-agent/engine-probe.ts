/**
 * Reads an inference engine over HTTP: which models it serves, its version, and its Prometheus metrics.
 * The engine kind comes from --engine-kind or is detected from what the engine answers (its metric names
 * first, then endpoints only one engine has), and once known is kept.
 *
 *   models   vLLM, TGI, llama.cpp, OpenAI-compatible: GET /v1/models (`data[].id`); Ollama: GET /api/tags
 *            (`models[].name`); TGI without /v1/models: GET /info (`model_id`)
 *   version  vLLM GET /version (`version`); TGI GET /info (`version`); llama.cpp GET /props (`build_info`);
 *            Ollama GET /api/version (`version`)
 */
import { engineKindOfExposition, readEngineMetrics, type EngineReading } from './engine-metrics';
import { hasPrometheusMetrics, type EngineKind } from './engine-kind';
import { getJson, getText, isRecord, type Fetched } from './http-get';
import type { LogFunction } from './log';
import { parsePrometheusText } from './prometheus-text';

export interface EngineObservation {
  readonly kind: EngineKind | null;
  readonly version: string | null;
  readonly up: boolean;
  readonly error: string | null;
  readonly models: readonly string[];
  /** Undefined when the engine has no metrics to read. */
  readonly reading: EngineReading | undefined;
  readonly metricsError: string | null;
}

export interface EngineProbeOptions {
  /** The engine's root URL, without /v1. */
  readonly engineUrl: string;
  readonly metricsUrl: string | undefined;
  readonly kind: EngineKind | undefined;
  readonly apiKey: string | undefined;
  readonly timeoutMilliseconds: number;
  readonly log: LogFunction;
  readonly signal?: AbortSignal;
}

function stringField(value: unknown, field: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const found = value[field];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

function modelIds(value: unknown, listField: string, idFields: readonly string[]): string[] | undefined {
  if (!isRecord(value) || !Array.isArray(value[listField])) return undefined;
  const ids: string[] = [];
  for (const entry of value[listField] as unknown[]) {
    const id = idFields.map((field) => stringField(entry, field)).find((found) => found !== undefined);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export class EngineProbe {
  private kind: EngineKind | undefined;
  private lastVersion: string | null = null;

  constructor(private readonly options: EngineProbeOptions) {
    this.kind = options.kind;
  }

  get engineKind(): EngineKind | undefined {
    return this.kind;
  }

  private url(path: string): string {
    return `${this.options.engineUrl}${path}`;
  }

  private get metricsUrl(): string {
    return this.options.metricsUrl ?? this.url('/metrics');
  }

  private getOptions() {
    const headers: Record<string, string> = { 'user-agent': 'warden-node-agent' };
    if (this.options.apiKey !== undefined) headers.authorization = `Bearer ${this.options.apiKey}`;
    return { headers, timeoutMilliseconds: this.options.timeoutMilliseconds, signal: this.options.signal };
  }

  private getJson(path: string): Promise<Fetched<unknown>> {
    return getJson(this.url(path), this.getOptions());
  }

  /** Detects the kind from what the engine answers; undefined while it answers nothing telling. */
  private async detect(): Promise<{ kind: EngineKind; evidence: string } | undefined> {
    const metrics = await getText(this.metricsUrl, this.getOptions());
    if (metrics.ok) {
      const kind = engineKindOfExposition(parsePrometheusText(metrics.value));
      if (kind !== undefined) return { kind, evidence: `its metric names (${this.metricsUrl})` };
    }
    const [ollama, tgi, llamaCpp, vllm, models] = await Promise.all([
      this.getJson('/api/version'),
      this.getJson('/info'),
      this.getJson('/props'),
      this.getJson('/version'),
      this.getJson('/v1/models'),
    ]);
    if (ollama.ok && stringField(ollama.value, 'version') !== undefined) return { kind: 'ollama', evidence: 'GET /api/version' };
    if (tgi.ok && stringField(tgi.value, 'model_id') !== undefined) return { kind: 'tgi', evidence: 'GET /info' };
    if (llamaCpp.ok && isRecord(llamaCpp.value) && ('default_generation_settings' in llamaCpp.value || 'build_info' in llamaCpp.value || 'total_slots' in llamaCpp.value)) {
      return { kind: 'llama.cpp', evidence: 'GET /props' };
    }
    if (vllm.ok && stringField(vllm.value, 'version') !== undefined) return { kind: 'vllm', evidence: 'GET /version' };
    if (models.ok && modelIds(models.value, 'data', ['id']) !== undefined) return { kind: 'openai-compatible', evidence: 'GET /v1/models' };
    return undefined;
  }

  private async models(kind: EngineKind, info: Fetched<unknown> | undefined): Promise<Fetched<string[]>> {
    const path = kind === 'ollama' ? '/api/tags' : '/v1/models';
    const fetched = await this.getJson(path);
    if (!fetched.ok) {
      // TGI before the Messages API (< 1.4) has no /v1/models; its one model is in /info.
      const modelId = info?.ok ? stringField(info.value, 'model_id') : undefined;
      if (kind === 'tgi' && fetched.status === 404 && modelId !== undefined) return { ok: true, value: [modelId], status: 200, headers: new Headers() };
      return fetched;
    }
    const ids = kind === 'ollama' ? modelIds(fetched.value, 'models', ['name', 'model']) : modelIds(fetched.value, 'data', ['id']);
    if (ids === undefined) {
      const expected = kind === 'ollama' ? '{"models":[{"name":…}]}' : '{"data":[{"id":…}]}';
      return { ok: false, status: fetched.status, error: `GET ${this.url(path)}: not a model list (expected ${expected})` };
    }
    return { ...fetched, value: ids };
  }

  private version(kind: EngineKind, answer: Fetched<unknown> | undefined): string | null {
    if (answer === undefined || !answer.ok) return null;
    const field = kind === 'llama.cpp' ? 'build_info' : 'version';
    return stringField(answer.value, field) ?? null;
  }

  private versionPath(kind: EngineKind): string | undefined {
    switch (kind) {
      case 'vllm':
        return '/version';
      case 'tgi':
        return '/info';
      case 'llama.cpp':
        return '/props';
      case 'ollama':
        return '/api/version';
      case 'openai-compatible':
        return undefined;
    }
  }

  private async metrics(kind: EngineKind): Promise<{ reading: EngineReading | undefined; error: string | null }> {
    if (!hasPrometheusMetrics(kind)) return { reading: undefined, error: null };
    const fetched = await getText(this.metricsUrl, this.getOptions());
    if (!fetched.ok) return { reading: undefined, error: fetched.error };
    const exposition = parsePrometheusText(fetched.value);
    const reading = readEngineMetrics(kind, exposition);
    const invalid = exposition.invalidLines;
    const error =
      invalid.length === 0
        ? null
        : `${invalid.length} unreadable line(s) in ${this.metricsUrl}, first at line ${invalid[0]?.lineNumber}: ${invalid[0]?.reason}`;
    return { reading, error };
  }

  async observe(): Promise<EngineObservation> {
    if (this.kind === undefined) {
      const detected = await this.detect();
      if (detected !== undefined) {
        this.kind = detected.kind;
        this.options.log(`engine kind detected: ${detected.kind} (from ${detected.evidence})`);
      }
    }
    const kind = this.kind;
    if (kind === undefined) {
      const models = await this.getJson('/v1/models');
      const error = models.ok ? `${this.options.engineUrl} answers, but not as any engine the agent knows; pass --engine-kind` : models.error;
      return { kind: null, version: null, up: false, error, models: [], reading: undefined, metricsError: null };
    }
    const versionPath = this.versionPath(kind);
    const [versionAnswer, metrics] = await Promise.all([
      versionPath === undefined ? Promise.resolve(undefined) : this.getJson(versionPath),
      this.metrics(kind),
    ]);
    const models = await this.models(kind, versionAnswer);
    // An engine coming up between the two requests answers models but not yet its version: keep the last known.
    const version = this.version(kind, versionAnswer) ?? (models.ok ? this.lastVersion : null);
    if (version !== null) this.lastVersion = version;
    return {
      kind,
      version: models.ok ? version : null,
      up: models.ok,
      error: models.ok ? null : models.error,
      models: models.ok ? models.value : [],
      reading: metrics.reading,
      metricsError: metrics.error,
    };
  }
}
