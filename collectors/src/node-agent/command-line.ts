/**
 * Flags of warden-node-agent. Parsed once into one typed object; a bad flag is reported by name and the
 * process exits 2, the status command-line tools use for usage errors.
 */
import { hostname } from 'node:os';
import { absoluteHttpUrl, positiveInteger, positiveSeconds, splitArguments, UsageError, type FlagKind } from '../common/command-line';
import { ENGINE_KINDS, isEngineKind, type EngineKind } from './engine-kind';

export interface AgentOptions {
  /** Warden's root URL, no trailing slash; undefined only with --once (print, do not push). */
  readonly serverUrl: string | undefined;
  readonly apiKey: string | undefined;
  readonly nodeName: string;
  /** The engine's root URL, no trailing slash and no /v1. */
  readonly engineUrl: string;
  readonly engineKind: EngineKind | undefined;
  readonly engineApiKey: string | undefined;
  readonly metricsUrl: string | undefined;
  readonly intervalSeconds: number;
  readonly engineTimeoutSeconds: number;
  readonly maxBufferedReports: number;
  readonly maxRetryDelaySeconds: number;
  readonly once: boolean;
  readonly help: boolean;
}

export type ParseResult = { readonly ok: true; readonly options: AgentOptions } | { readonly ok: false; readonly error: string };

export const USAGE = `Usage: warden-node-agent --engine-url URL --server-url URL [options]

Runs beside an inference engine (vLLM, TGI, llama.cpp, Ollama, any OpenAI-compatible server): reads the
models it serves, its version and its Prometheus metrics every --interval, sends them to Warden as a
heartbeat, and pulls the node's policy (allowed models).

Options:
  --server-url URL          Warden's root URL (http://warden:4000); required unless --once
  --api-key KEY             Warden key the agent authenticates with (env WARDEN_AGENT_KEY)
  --node-name NAME          this node's name in Warden (default: this host's name)
  --engine-url URL          the engine's root URL (http://127.0.0.1:8000); a trailing /v1 is ignored
  --engine-kind KIND        ${ENGINE_KINDS.join(' | ')}
                            (default: detected from the engine's metric names or endpoints)
  --engine-api-key KEY      bearer key the engine asks for, e.g. vLLM --api-key (env WARDEN_ENGINE_API_KEY)
  --metrics-url URL         where the engine serves Prometheus metrics (default: ENGINE-URL/metrics)
  --interval SECONDS        how often to read the engine and report (default 15)
  --engine-timeout SECONDS  give up on an engine request after this long (default 5)
  --max-buffered-reports N  reports kept while Warden is unreachable; the oldest go first (default 240)
  --max-retry-delay SECONDS longest back-off between deliveries to an unreachable Warden (default 60)
  --once                    print one report as JSON on stdout and exit: 0 if the engine is up (and, with
                            --server-url, the report was delivered), 1 otherwise
  --help                    show this help

Exit status: 0 ok (or stopped by SIGTERM/SIGINT), 1 engine down or report undelivered (--once),
2 bad command line.
`;

const FLAGS: Readonly<Record<string, FlagKind>> = {
  '--server-url': 'value',
  '--api-key': 'value',
  '--node-name': 'value',
  '--engine-url': 'value',
  '--engine-kind': 'value',
  '--engine-api-key': 'value',
  '--metrics-url': 'value',
  '--interval': 'value',
  '--engine-timeout': 'value',
  '--max-buffered-reports': 'value',
  '--max-retry-delay': 'value',
  '--once': 'switch',
  '--help': 'switch',
};

/** An http(s) URL without a trailing slash (paths are appended to it). */
function httpUrl(flag: string, raw: string): string {
  const url = absoluteHttpUrl(flag, raw);
  if (url.search !== '' || url.hash !== '') throw new UsageError(`${flag} must not carry a query or fragment, got ${JSON.stringify(raw)}`);
  return url.toString().replace(/\/+$/, '');
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParseResult {
  try {
    const { values, switches } = splitArguments(argv, FLAGS);
    const help = switches.has('--help');
    const once = switches.has('--once');

    const engineUrlText = values.get('--engine-url');
    if (engineUrlText === undefined && !help) throw new UsageError('--engine-url is required (the engine\'s root URL, e.g. http://127.0.0.1:8000)');
    // OpenAI clients are configured with …/v1; the agent appends /v1/models itself.
    const engineUrl = engineUrlText === undefined ? '' : httpUrl('--engine-url', engineUrlText).replace(/\/v1$/, '');

    const serverUrl = values.has('--server-url') ? httpUrl('--server-url', values.get('--server-url') as string) : undefined;
    if (serverUrl === undefined && !once && !help) throw new UsageError('--server-url is required (Warden\'s root URL, e.g. http://warden:4000) unless --once');
    const apiKey = values.get('--api-key') ?? (env.WARDEN_AGENT_KEY || undefined);
    if (serverUrl !== undefined && apiKey === undefined) throw new UsageError('--server-url needs --api-key or WARDEN_AGENT_KEY (Warden refuses unauthenticated agents)');

    const engineKindText = values.get('--engine-kind');
    if (engineKindText !== undefined && !isEngineKind(engineKindText)) {
      throw new UsageError(`--engine-kind must be one of ${ENGINE_KINDS.join(', ')}, got ${JSON.stringify(engineKindText)}`);
    }
    const nodeName = values.get('--node-name') ?? hostname();
    if (nodeName.trim() === '') throw new UsageError('--node-name must not be empty');

    return {
      ok: true,
      options: {
        serverUrl,
        apiKey,
        nodeName,
        engineUrl,
        engineKind: engineKindText as EngineKind | undefined,
        engineApiKey: values.get('--engine-api-key') ?? (env.WARDEN_ENGINE_API_KEY || undefined),
        metricsUrl: values.has('--metrics-url') ? absoluteHttpUrl('--metrics-url', values.get('--metrics-url') as string).toString() : undefined,
        intervalSeconds: values.has('--interval') ? positiveSeconds('--interval', values.get('--interval') as string) : 15,
        engineTimeoutSeconds: values.has('--engine-timeout') ? positiveSeconds('--engine-timeout', values.get('--engine-timeout') as string) : 5,
        maxBufferedReports: values.has('--max-buffered-reports') ? positiveInteger('--max-buffered-reports', values.get('--max-buffered-reports') as string) : 240,
        maxRetryDelaySeconds: values.has('--max-retry-delay') ? positiveSeconds('--max-retry-delay', values.get('--max-retry-delay') as string) : 60,
        once,
        help,
      },
    };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, error: error.message };
    throw error;
  }
}
