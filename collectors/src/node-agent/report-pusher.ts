/**
 * Delivers heartbeats to Warden, one POST per report, oldest first. While Warden is unreachable reports wait
 * in a bounded buffer; when it is full the OLDEST is dropped (the newest says most about the node now) and
 * counted, and the count travels in every later report, so a gap always has a number next to it. Retries
 * back off exponentially with jitter (many agents must not return in step after an outage); new reports
 * are queued, not sent, while a retry is pending.
 */
import { describeFetchError, failedOnStaleConnection, STALE_CONNECTION_RETRIES } from './http-get';
import type { LogFunction } from './log';
import type { NodeHeartbeat } from './node-report';

export interface ReportPusherOptions {
  readonly heartbeatUrl: string;
  readonly apiKey: string;
  readonly userAgent: string;
  readonly log: LogFunction;
  readonly maxBufferedReports: number;
  readonly maxRetryDelayMilliseconds: number;
  readonly initialRetryDelayMilliseconds?: number;
  readonly requestTimeoutMilliseconds?: number;
  /** 0 ≤ x < 1; Math.random unless a test pins it. */
  readonly random?: () => number;
}

type SendOutcome = 'delivered' | 'retry' | 'rejected';

export class ReportPusher {
  private buffer: NodeHeartbeat[] = [];
  private inFlight: Promise<boolean> | undefined;
  private sending: NodeHeartbeat | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private stopped = false;
  private lastOutcome: string | undefined;
  private dropped = 0;
  private droppedThisOutage = 0;
  private delivered = 0;
  private readonly initialRetryDelay: number;
  private readonly requestTimeout: number;
  private readonly random: () => number;
  private readonly abandon = new AbortController();

  constructor(private readonly options: ReportPusherOptions) {
    this.initialRetryDelay = Math.min(options.initialRetryDelayMilliseconds ?? 1_000, options.maxRetryDelayMilliseconds);
    this.requestTimeout = options.requestTimeoutMilliseconds ?? 10_000;
    this.random = options.random ?? Math.random;
    this.retryDelay = this.initialRetryDelay;
  }

  /** Reports given up on so far: dropped from a full buffer, or refused by Warden as invalid. */
  get droppedReports(): number {
    return this.dropped;
  }

  get deliveredReports(): number {
    return this.delivered;
  }

  get bufferedReports(): number {
    return this.buffer.length;
  }

  /** Whether a failed delivery is waiting out its back-off. */
  get backingOff(): boolean {
    return this.retryTimer !== undefined;
  }

  enqueue(report: NodeHeartbeat): void {
    this.buffer.push(report);
    const excess = this.buffer.length - this.options.maxBufferedReports;
    if (excess > 0) {
      // The report in flight stays: its fate is being decided.
      this.buffer.splice(this.sending === undefined ? 0 : 1, excess);
      this.dropped += excess;
      // One line when an outage starts dropping; the total comes with the line that ends it.
      if (this.droppedThisOutage === 0) {
        this.options.log(`report buffer full (${this.options.maxBufferedReports}): dropping the oldest report for each new one until Warden answers`);
      }
      this.droppedThisOutage += excess;
    }
  }

  /** Sends now unless a retry is pending, in which case the report waits for it. */
  pushSoon(): void {
    if (this.backingOff || this.stopped) return;
    void this.flush();
  }

  /** Sends everything buffered, in order, until empty or a failure. Resolves true when the buffer is empty. */
  flush(): Promise<boolean> {
    if (this.inFlight === undefined) {
      this.inFlight = this.drain().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** Flushes until the buffer is empty or the deadline passes, even if Warden hangs; for shutdown and --once. */
  async flushWithin(milliseconds: number): Promise<boolean> {
    const deadline = Date.now() + milliseconds;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), remaining);
      });
      const flushed = await Promise.race([this.flush(), expired]);
      clearTimeout(timer);
      if (flushed) return true;
      const wait = Math.min(this.initialRetryDelay, deadline - Date.now());
      if (wait <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** No more retries; a delivery still in flight is abandoned (its report stays counted as buffered). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abandon.abort();
  }

  private async drain(): Promise<boolean> {
    while (this.buffer.length > 0) {
      const report = this.buffer[0] as NodeHeartbeat;
      this.sending = report;
      const outcome = await this.send(report).finally(() => {
        this.sending = undefined;
      });
      if (outcome !== 'retry') this.buffer.shift();
      if (outcome === 'delivered') {
        this.delivered += 1;
        this.retryDelay = this.initialRetryDelay;
        continue;
      }
      if (outcome === 'rejected') {
        this.dropped += 1;
        continue;
      }
      this.scheduleRetry();
      return false;
    }
    return true;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    // Full jitter on the upper half: between half and all of the current delay.
    const delay = Math.round(this.retryDelay * (0.5 + this.random() / 2));
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryDelayMilliseconds);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delay);
    // A pending retry must not keep a finished process (--once, shutdown) alive.
    this.retryTimer.unref();
  }

  private async send(report: NodeHeartbeat, staleConnectionRetries = 0): Promise<SendOutcome> {
    const url = this.options.heartbeatUrl;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': 'application/json',
          'user-agent': this.options.userAgent,
        },
        body: JSON.stringify(report),
        signal: AbortSignal.any([AbortSignal.timeout(this.requestTimeout), this.abandon.signal]),
      });
      const answer = (await response.text()).replace(/\s+/g, ' ').slice(0, 300);
      if (response.ok) {
        const following = this.buffer.length > 1 ? `; ${this.buffer.length - 1} buffered report(s) follow` : '';
        const lost = this.droppedThisOutage > 0 ? `; ${this.droppedThisOutage} report(s) dropped meanwhile` : '';
        if (this.droppedThisOutage > 0) this.lastOutcome = 'dropping'; // the drops are news even without a failed send
        this.logChange('delivered', `heartbeats to ${url} delivered again${following}${lost}`);
        this.droppedThisOutage = 0;
        return 'delivered';
      }
      // 400/413/422: this report will never be accepted, and retrying it would block every later one.
      if ([400, 413, 422].includes(response.status)) {
        this.options.log(`Warden refused a report with HTTP ${response.status}, dropping it: ${answer}`);
        return 'rejected';
      }
      const hint =
        response.status === 401 || response.status === 403
          ? ' (the agent key is missing, wrong or revoked: check --api-key / WARDEN_AGENT_KEY)'
          : response.status === 404
            ? ' (Warden does not know this node name: create the node, or check --node-name)'
            : '';
      this.logChange(`http ${response.status}`, `heartbeat to ${url} failed with HTTP ${response.status}${hint}, will retry with back-off: ${answer}`);
      return 'retry';
    } catch (error) {
      // The report carries its id, so sending it again on a fresh connection cannot count it twice.
      if (staleConnectionRetries < STALE_CONNECTION_RETRIES && failedOnStaleConnection(error)) return this.send(report, staleConnectionRetries + 1);
      if (this.abandon.signal.aborted) return 'retry';
      const reason = describeFetchError(error);
      this.logChange(`error ${reason}`, `heartbeat to ${url} failed (${reason}), will retry with back-off; reports are buffered (up to ${this.options.maxBufferedReports})`);
      return 'retry';
    }
  }

  /** One line per change of outcome, not one per retry. */
  private logChange(outcome: string, message: string): void {
    const first = this.lastOutcome === undefined;
    const changed = outcome !== this.lastOutcome;
    this.lastOutcome = outcome;
    if (changed && !(first && outcome === 'delivered')) this.options.log(message);
  }
}
