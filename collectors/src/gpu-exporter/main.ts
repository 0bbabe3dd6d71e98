/**
 * Wiring of warden-gpu-exporter: parse flags, then either print one exposition (--once) or serve /metrics
 * and, with --push-url, collect every --interval and push.
 */
import { parseCommandLine, USAGE, type ExporterOptions } from './command-line';
import { GpuCollector } from './gpu-collector';
import { toGpuSamples } from './gpu-sample';
import { createMetricsServer, listen } from './http-server';
import { logToStderr, type LogFunction } from './log';
import { ExporterMetrics } from './metrics-registry';
import { NvidiaSmiRunner } from './nvidia-smi-runner';
import { registerProcessMetrics } from './process-metrics';
import { SamplePusher } from './sample-pusher';

export interface Exporter {
  readonly options: ExporterOptions;
  readonly collector: GpuCollector;
  readonly metrics: ExporterMetrics;
  readonly pusher: SamplePusher | undefined;
}

export function createExporter(options: ExporterOptions, log: LogFunction = logToStderr): Exporter {
  const runner = new NvidiaSmiRunner({
    executable: options.nvidiaSmiPath,
    timeoutMilliseconds: options.nvidiaSmiTimeoutSeconds * 1000,
  });
  const collector = new GpuCollector(runner, { queryComputeApps: options.queryComputeApps, log });
  const metrics = new ExporterMetrics(options.nodeName);
  const pusher =
    options.pushUrl !== undefined && options.ingestKey !== undefined
      ? new SamplePusher({ url: options.pushUrl, ingestKey: options.ingestKey, registry: metrics.registry, log })
      : undefined;
  return { options, collector, metrics, pusher };
}

export interface OnceResult {
  readonly exposition: string;
  readonly exitCode: number;
}

/** One collection, one exposition. Exit 1 when nvidia-smi failed (the exposition then says up 0). */
export async function collectOnce(exporter: Exporter): Promise<OnceResult> {
  const snapshot = await exporter.collector.collect();
  let pushed = true;
  if (exporter.pusher) {
    exporter.pusher.enqueue(toGpuSamples(snapshot, exporter.options.nodeName));
    pushed = await exporter.pusher.flush();
    exporter.pusher.stop();
  }
  exporter.metrics.update(snapshot);
  const exposition = await exporter.metrics.exposition();
  return { exposition, exitCode: snapshot.failure === undefined && pushed ? 0 : 1 };
}

async function serve(exporter: Exporter, log: LogFunction): Promise<number> {
  const { options, collector, metrics, pusher } = exporter;
  // The exporter's own memory and CPU, next to the GPUs it watches (not in --once: a one-shot has no history).
  registerProcessMetrics(metrics.registry);
  const server = createMetricsServer(collector, metrics, log);
  let address;
  try {
    address = await listen(server, options.port, options.listenAddress);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    log(`cannot listen on ${options.listenAddress}:${options.port} (${code}); choose another --port or --listen-address`);
    return 1;
  }
  log(`listening on http://${options.listenAddress}:${address.port}/metrics (nvidia-smi: ${options.nvidiaSmiPath}, node: ${options.nodeName})`);

  let pushTimer: NodeJS.Timeout | undefined;
  if (pusher) {
    const pushOnce = async (): Promise<void> => {
      const snapshot = await collector.collect();
      metrics.update(snapshot);
      pusher.enqueue(toGpuSamples(snapshot, options.nodeName));
      await pusher.flush();
    };
    const tick = (): void => {
      pushOnce().catch((error: unknown) => log(`push cycle failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    tick();
    pushTimer = setInterval(tick, options.intervalSeconds * 1000);
    log(`pushing samples to ${options.pushUrl} every ${options.intervalSeconds} s`);
  }

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      log(`${signal}: shutting down`);
      if (pushTimer) clearInterval(pushTimer);
      server.close();
      server.closeAllConnections();
      const flushed = pusher ? pusher.flushWithin(5_000) : Promise.resolve(true);
      void flushed.then((done) => {
        if (!done && pusher) log(`${pusher.bufferedSampleCount} sample(s) not delivered at shutdown`);
        pusher?.stop();
        resolve(0);
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

/** Returns the process exit status. */
export async function main(argv: readonly string[], log: LogFunction = logToStderr): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    process.stderr.write(`warden-gpu-exporter: ${parsed.error}\nRun warden-gpu-exporter --help for the options.\n`);
    return 2;
  }
  if (parsed.options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const exporter = createExporter(parsed.options, log);
  if (parsed.options.once) {
    const result = await collectOnce(exporter);
    process.stdout.write(result.exposition);
    return result.exitCode;
  }
  return serve(exporter, log);
}
