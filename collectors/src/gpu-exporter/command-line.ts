/**
 * Flags of warden-gpu-exporter. Parsed once into one typed object; a bad flag is reported by name and the
 * process exits 2, the status command-line tools use for usage errors.
 */
import { hostname } from 'node:os';
import { absoluteHttpUrl, positiveSeconds, splitArguments, UsageError, type FlagKind } from '../common/command-line';

export interface ExporterOptions {
  readonly nvidiaSmiPath: string;
  readonly port: number;
  readonly listenAddress: string;
  readonly pushUrl: string | undefined;
  readonly ingestKey: string | undefined;
  readonly once: boolean;
  readonly intervalSeconds: number;
  readonly nodeName: string;
  readonly queryComputeApps: boolean;
  readonly nvidiaSmiTimeoutSeconds: number;
  readonly help: boolean;
}

export type ParseResult = { readonly ok: true; readonly options: ExporterOptions } | { readonly ok: false; readonly error: string };

export const USAGE = `Usage: warden-gpu-exporter [options]

Reads nvidia-smi and serves the GPUs' metrics for Prometheus on /metrics, and/or pushes them to Warden.

Options:
  --nvidia-smi PATH         nvidia-smi to run (env NVIDIA_SMI_PATH; default: nvidia-smi on PATH)
  --port PORT               HTTP port for /metrics (default 9835; 0 picks a free port, logged at start)
  --listen-address ADDRESS  address to listen on (default 0.0.0.0)
  --push-url URL            also POST samples to this URL (Warden: http://SERVER:4000/api/v1/ingest/gpu)
  --ingest-key KEY          bearer key for --push-url (env WARDEN_INGEST_KEY)
  --interval SECONDS        how often to collect and push with --push-url (default 15)
  --node-name NAME          value of the node label (default: this host's name)
  --query-compute-apps      also export per-process GPU memory (nvidia-smi --query-compute-apps)
  --nvidia-smi-timeout SECONDS
                            kill an nvidia-smi run that takes longer (default 10)
  --once                    print one exposition to stdout and exit: 0 if nvidia-smi answered (and a
                            push, if asked, was delivered), 1 otherwise
  --help                    show this help

Exit status: 0 ok, 1 nvidia-smi failed (--once), 2 bad command line.
`;

const FLAGS: Readonly<Record<string, FlagKind>> = {
  '--nvidia-smi': 'value',
  '--port': 'value',
  '--listen-address': 'value',
  '--push-url': 'value',
  '--ingest-key': 'value',
  '--interval': 'value',
  '--node-name': 'value',
  '--nvidia-smi-timeout': 'value',
  '--query-compute-apps': 'switch',
  '--once': 'switch',
  '--help': 'switch',
};

function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
  return value;
}

function pushUrl(raw: string): string {
  return absoluteHttpUrl('--push-url', raw).toString();
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParseResult {
  try {
    const { values, switches } = splitArguments(argv, FLAGS);

    const ingestKey = values.get('--ingest-key') ?? (env.WARDEN_INGEST_KEY || undefined);
    const url = values.has('--push-url') ? pushUrl(values.get('--push-url') as string) : undefined;
    if (url !== undefined && ingestKey === undefined) {
      throw new UsageError('--push-url needs --ingest-key or WARDEN_INGEST_KEY (the server refuses unauthenticated samples)');
    }
    const nodeName = values.get('--node-name') ?? hostname();
    if (nodeName.trim() === '') throw new UsageError('--node-name must not be empty');
    const nvidiaSmiPath = values.get('--nvidia-smi') ?? (env.NVIDIA_SMI_PATH || 'nvidia-smi');
    if (nvidiaSmiPath.trim() === '') throw new UsageError('--nvidia-smi must not be empty');

    return {
      ok: true,
      options: {
        nvidiaSmiPath,
        port: values.has('--port') ? port(values.get('--port') as string) : 9835,
        listenAddress: values.get('--listen-address') ?? '0.0.0.0',
        pushUrl: url,
        ingestKey,
        once: switches.has('--once'),
        intervalSeconds: values.has('--interval') ? positiveSeconds('--interval', values.get('--interval') as string) : 15,
        nodeName,
        queryComputeApps: switches.has('--query-compute-apps'),
        nvidiaSmiTimeoutSeconds: values.has('--nvidia-smi-timeout')
          ? positiveSeconds('--nvidia-smi-timeout', values.get('--nvidia-smi-timeout') as string)
          : 10,
        help: switches.has('--help'),
      },
    };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, error: error.message };
    throw error;
  }
}
