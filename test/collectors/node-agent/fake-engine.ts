/**
 * A fake inference engine: a real HTTP server (node:http, random port) answering the endpoints one engine
 * kind has, in that engine's shapes (vLLM, TGI, llama.cpp, Ollama, a bare OpenAI-compatible server), and
 * /metrics with a body the test chooses per scrape. It can go down (closed port) and come back on the same
 * port. The node agent under test reaches it over the network like a real engine.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type FakeEngineKind = 'vllm' | 'tgi' | 'llama.cpp' | 'ollama' | 'openai-compatible';

export const VLLM_SAMPLE = readFileSync(path.resolve(__dirname, '../../fixtures/data/vllm-metrics-sample.txt'), 'utf8');
export const TGI_SAMPLE = readFileSync(path.join(__dirname, 'samples/tgi-metrics.written-from-docs.prom'), 'utf8');
export const LLAMA_CPP_SAMPLE = readFileSync(path.join(__dirname, 'samples/llama-cpp-metrics.written-from-docs.prom'), 'utf8');

/**
 * The real vLLM sample with its token counters moved forward by `scrape` steps (prompt +100, generation
 * +400 per step), as a busy engine's would between scrapes.
 */
export function vllmSampleAtScrape(scrape: number): string {
  return VLLM_SAMPLE.replace(/^(vllm:prompt_tokens_total\{[^}]*\}) ([\d.]+)$/m, (_line, series: string, value: string) => `${series} ${Number(value) + 100 * scrape}.0`).replace(
    /^(vllm:generation_tokens_total\{[^}]*\}) ([\d.]+)$/m,
    (_line, series: string, value: string) => `${series} ${Number(value) + 400 * scrape}.0`,
  );
}

export interface FakeEngineOptions {
  readonly kind: FakeEngineKind;
  readonly models?: readonly string[];
  readonly version?: string;
  /** The /metrics body for the n-th scrape (0-based); default: the engine's sample, unchanged. */
  readonly metrics?: (scrape: number) => string;
  /** TGI before the Messages API: no /v1/models, the model only in /info. */
  readonly withoutModelList?: boolean;
  /** Answer /v1/models only with this bearer key (vLLM --api-key). */
  readonly apiKey?: string;
}

export interface ReceivedEngineRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface FakeEngine {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedEngineRequest[];
  metricsScrapes(): number;
  /** Closes the port: connections are refused until start(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function defaultSample(kind: FakeEngineKind): string | undefined {
  if (kind === 'vllm') return VLLM_SAMPLE;
  if (kind === 'tgi') return TGI_SAMPLE;
  if (kind === 'llama.cpp') return LLAMA_CPP_SAMPLE;
  return undefined;
}

export async function startFakeEngine(options: FakeEngineOptions): Promise<FakeEngine> {
  const models = options.models ?? ['Qwen/Qwen2.5-Coder-1.5B-Instruct'];
  const requests: ReceivedEngineRequest[] = [];
  let scrapes = 0;
  const created = 1_738_217_335;

  const routes = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://engine');
    requests.push({ method: request.method ?? 'GET', path: url.pathname, authorization: request.headers.authorization });
    const kind = options.kind;
    const route = `${request.method} ${url.pathname}`;
    const sample = defaultSample(kind);

    if (route === 'GET /metrics' && sample !== undefined) {
      const body = options.metrics ? options.metrics(scrapes) : sample;
      scrapes += 1;
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
      return;
    }
    if (route === 'GET /v1/models' && kind !== 'ollama' && !options.withoutModelList) {
      if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
        json(response, 401, { error: 'Unauthorized' });
        return;
      }
      const ownedBy = kind === 'llama.cpp' ? 'llamacpp' : kind;
      json(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created, owned_by: ownedBy, root: id, parent: null, max_model_len: 32768 })),
      });
      return;
    }
    if (kind === 'vllm' && route === 'GET /version') return json(response, 200, { version: options.version ?? '0.7.2' });
    if (kind === 'tgi' && route === 'GET /info') {
      return json(response, 200, {
        model_id: models[0],
        model_sha: 'e2c1b8d5a8f8e2b7c6a0e5d4c3b2a1f0e9d8c7b6',
        model_pipeline_tag: 'text-generation',
        max_concurrent_requests: 128,
        max_best_of: 2,
        max_stop_sequences: 4,
        max_input_tokens: 4095,
        max_total_tokens: 4096,
        validation_workers: 2,
        max_client_batch_size: 4,
        router: 'text-generation-router',
        version: options.version ?? '3.0.1',
        sha: '0b4bd8c9a0cf5e0a8bd74b6c1b43ac5b7e5e6b2f',
        docker_label: 'sha-0b4bd8c',
      });
    }
    if (kind === 'llama.cpp' && route === 'GET /props') {
      return json(response, 200, {
        default_generation_settings: { n_ctx: 4096, params: { temperature: 0.8, top_k: 40 } },
        total_slots: 4,
        model_path: `/models/${models[0] ?? 'model.gguf'}`,
        chat_template: '{{ messages }}',
        build_info: options.version ?? 'b5021-a1b2c3d4',
      });
    }
    if (kind === 'ollama' && route === 'GET /api/version') return json(response, 200, { version: options.version ?? '0.6.5' });
    if (kind === 'ollama' && route === 'GET /api/tags') {
      return json(response, 200, {
        models: models.map((name) => ({
          name,
          model: name,
          modified_at: '2025-04-01T10:00:00.000000000Z',
          size: 4_661_224_676,
          digest: 'a6990ed6be412c6a217614b0ec8e9cd6800a743d5dd7e1d7fbe9df09e61d5615',
          details: { format: 'gguf', family: 'llama', parameter_size: '8.0B', quantization_level: 'Q4_0' },
        })),
      });
    }
    // Every engine answers unknown paths with 404; the body differs, the status does not.
    json(response, 404, { detail: 'Not Found' });
  };

  const server: Server = createServer(routes);
  let port = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    metricsScrapes: () => scrapes,
    stop,
    start: listen,
    close: stop,
  };
}
