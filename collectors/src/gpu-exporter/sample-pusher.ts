/**
 * Pushes GPU samples to the server in batches. While the server is unreachable samples wait in a bounded
 * buffer: when it is full the OLDEST go first (a fresh reading is worth more than an old one) and are counted,
 * so a gap in the data always has a number next to it. One request at a time keeps delivery in order.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { GpuSample, GpuSampleBatch } from './gpu-sample';
import type { LogFunction } from './log';

export interface PusherOptions {
  readonly url: string;
  readonly ingestKey: string;
  readonly registry: Registry;
  readonly log: LogFunction;
  readonly maxBufferedSamples?: number;
  readonly batchSize?: number;
  readonly requestTimeoutMilliseconds?: number;
  readonly initialRetryDelayMilliseconds?: number;
  readonly maxRetryDelayMilliseconds?: number;
}

type SendOutcome = 'delivered' | 'retry' | 'rejected';

export class SamplePusher {
  private buffer: GpuSample[] = [];
  private inFlight: Promise<boolean> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private stopped = false;
  private lastOutcomeLogged: string | undefined;
  private readonly maxBufferedSamples: number;
  private readonly batchSize: number;
  private readonly requestTimeout: number;
  private readonly initialRetryDelay: number;
  private readonly maxRetryDelay: number;
  private readonly dropped: Counter;
  private readonly delivered: Counter;
  private readonly failures: Counter;
  private readonly buffered: Gauge;

  constructor(private readonly options: PusherOptions) {
    this.maxBufferedSamples = options.maxBufferedSamples ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.requestTimeout = options.requestTimeoutMilliseconds ?? 10_000;
    this.initialRetryDelay = options.initialRetryDelayMilliseconds ?? 1_000;
    this.maxRetryDelay = options.maxRetryDelayMilliseconds ?? 60_000;
    this.retryDelay = this.initialRetryDelay;
    const registers = [options.registry];
    this.dropped = new Counter({
      name: 'warden_gpu_exporter_push_dropped_samples_total',
      help: 'Samples given up on: buffer_full (oldest dropped while the server was unreachable) or rejected (the server refused the batch as invalid).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['buffer_full', 'rejected']) this.dropped.inc({ reason }, 0);
    this.delivered = new Counter({ name: 'warden_gpu_exporter_push_delivered_samples_total', help: 'Samples the server accepted.', registers });
    this.failures = new Counter({ name: 'warden_gpu_exporter_push_failures_total', help: 'Push requests that failed and will be retried.', registers });
    this.buffered = new Gauge({ name: 'warden_gpu_exporter_push_buffered_samples', help: 'Samples waiting to be pushed.', registers });
  }

  get bufferedSampleCount(): number {
    return this.buffer.length;
  }

  enqueue(samples: readonly GpuSample[]): void {
    this.buffer.push(...samples);
    this.enforceBound();
  }

  /** Sends everything buffered, batch by batch, until empty or a failure. Resolves true when empty. */
  flush(): Promise<boolean> {
    if (this.inFlight === undefined) {
      this.inFlight = this.drain().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** Flushes until the buffer is empty or the deadline passes; for shutdown and --once. */
  async flushWithin(milliseconds: number): Promise<boolean> {
    const deadline = Date.now() + milliseconds;
    for (;;) {
      if (await this.flush()) return true;
      const wait = Math.min(this.retryDelay, deadline - Date.now());
      if (wait <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private enforceBound(): void {
    const excess = this.buffer.length - this.maxBufferedSamples;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped.inc({ reason: 'buffer_full' }, excess);
      this.options.log(`push buffer full: dropped the ${excess} oldest sample(s)`);
    }
    this.buffered.set(this.buffer.length);
  }

  private async drain(): Promise<boolean> {
    while (this.buffer.length > 0) {
      // The batch leaves the buffer while in flight, so new samples and the bound never touch it.
      const batch = this.buffer.splice(0, this.batchSize);
      this.buffered.set(this.buffer.length);
      const outcome = await this.send(batch);
      if (outcome === 'delivered') {
        this.delivered.inc(batch.length);
        this.retryDelay = this.initialRetryDelay;
        continue;
      }
      if (outcome === 'rejected') {
        this.dropped.inc({ reason: 'rejected' }, batch.length);
        continue;
      }
      this.buffer.unshift(...batch);
      this.enforceBound();
      this.failures.inc();
      this.scheduleRetry();
      return false;
    }
    return true;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.maxRetryDelay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delay);
    // A pending retry must not keep a finished process (--once, shutdown) alive.
    this.retryTimer.unref();
  }

  private async send(batch: GpuSample[]): Promise<SendOutcome> {
    const body: GpuSampleBatch = { samples: batch };
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.ingestKey}`,
          'content-type': 'application/json',
          'user-agent': 'warden-gpu-exporter',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeout),
      });
      const answer = await response.text();
      if (response.ok) {
        this.logOutcome('delivered', `push to ${this.options.url} works again`);
        return 'delivered';
      }
      // 400/413/422: this batch will never be accepted; retrying it would block every later sample.
      if ([400, 413, 422].includes(response.status)) {
        this.options.log(`server refused ${batch.length} sample(s) with HTTP ${response.status}, dropping them: ${answer.slice(0, 300)}`);
        return 'rejected';
      }
      // 401/403 is a key problem an operator can fix: keep the samples and keep trying.
      this.logOutcome(`http ${response.status}`, `push to ${this.options.url} failed with HTTP ${response.status}, will retry: ${answer.slice(0, 300)}`);
      return 'retry';
    } catch (error) {
      const reason = error instanceof Error ? describeFetchError(error) : String(error);
      this.logOutcome(`error ${reason}`, `push to ${this.options.url} failed (${reason}), will retry`);
      return 'retry';
    }
  }

  /** One line per change of outcome, not one per retry. */
  private logOutcome(outcome: string, message: string): void {
    if (outcome === this.lastOutcomeLogged || (outcome === 'delivered' && this.lastOutcomeLogged === undefined)) {
      this.lastOutcomeLogged = outcome;
      return;
    }
    this.lastOutcomeLogged = outcome;
    this.options.log(message);
  }
}

function describeFetchError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
