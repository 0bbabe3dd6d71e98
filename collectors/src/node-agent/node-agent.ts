/**
 * One agent: every --interval it reads the engine, builds a heartbeat, hands it to the pusher, and pulls the
 * node policy. Cycles never overlap (each is scheduled after the previous one started, or at once if it ran
 * late). It logs what changes (engine up/down and why, models, metrics readable or not, policy, models outside
 * the policy), not every cycle.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AgentOptions } from './command-line';
import { EngineProbe, type EngineObservation } from './engine-probe';
import type { LogFunction } from './log';
import { NO_METRICS, reportedMetrics, type Scrape } from './metric-rates';
import { HEARTBEAT_SCHEMA_VERSION, type NodeHeartbeat } from './node-report';
import { PolicyClient } from './policy-client';
import { ReportPusher } from './report-pusher';
import { AGENT_VERSION, USER_AGENT } from './version';

const SHUTDOWN_FLUSH_MILLISECONDS = 5_000;
const WARDEN_TIMEOUT_MILLISECONDS = 10_000;

export function nodeEndpoint(serverUrl: string, nodeName: string, leaf: 'heartbeat' | 'policy'): string {
  return `${serverUrl}/api/v1/nodes/${encodeURIComponent(nodeName)}/${leaf}`;
}

export class NodeAgent {
  readonly pusher: ReportPusher | undefined;
  readonly policy: PolicyClient | undefined;
  private readonly probe: EngineProbe;
  private readonly stopping = new AbortController();
  private previousScrape: Scrape | undefined;
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private lastSeen: { up: boolean; error: string | null; models: string; version: string | null; metricsError: string | null; outsidePolicy: string } | undefined;

  constructor(
    readonly options: AgentOptions,
    private readonly log: LogFunction,
  ) {
    this.probe = new EngineProbe({
      engineUrl: options.engineUrl,
      metricsUrl: options.metricsUrl,
      kind: options.engineKind,
      apiKey: options.engineApiKey,
      timeoutMilliseconds: options.engineTimeoutSeconds * 1000,
      log,
      signal: this.stopping.signal,
    });
    if (options.serverUrl !== undefined && options.apiKey !== undefined) {
      this.pusher = new ReportPusher({
        heartbeatUrl: nodeEndpoint(options.serverUrl, options.nodeName, 'heartbeat'),
        apiKey: options.apiKey,
        userAgent: USER_AGENT,
        log,
        maxBufferedReports: options.maxBufferedReports,
        maxRetryDelayMilliseconds: options.maxRetryDelaySeconds * 1000,
        requestTimeoutMilliseconds: WARDEN_TIMEOUT_MILLISECONDS,
      });
      this.policy = new PolicyClient({
        policyUrl: nodeEndpoint(options.serverUrl, options.nodeName, 'policy'),
        apiKey: options.apiKey,
        userAgent: USER_AGENT,
        log,
        timeoutMilliseconds: WARDEN_TIMEOUT_MILLISECONDS,
        signal: this.stopping.signal,
      });
    }
  }

  /** Reads the engine (and pulls the policy) once; the report this makes. */
  async report(): Promise<NodeHeartbeat> {
    const [observation] = await Promise.all([this.probe.observe(), this.policy?.refresh()]);
    const sampledAt = new Date();
    let metrics = NO_METRICS;
    if (observation.reading !== undefined) {
      const scrape: Scrape = { reading: observation.reading, atMilliseconds: performance.now() };
      metrics = reportedMetrics(this.previousScrape, scrape);
      this.previousScrape = scrape;
    }
    if (observation.metricsError !== null) metrics = { ...metrics, error: observation.metricsError };
    this.logChanges(observation);
    return {
      schemaVersion: HEARTBEAT_SCHEMA_VERSION,
      id: randomUUID(),
      agentVersion: AGENT_VERSION,
      sampledAt: sampledAt.toISOString(),
      intervalSeconds: this.options.intervalSeconds,
      engine: { kind: observation.kind, version: observation.version, up: observation.up, error: observation.error },
      models: observation.models,
      metrics,
      policyVersion: this.policy?.current?.policy.version ?? null,
      droppedReports: this.pusher?.droppedReports ?? 0,
    };
  }

  /** Starts the cycles; the first at once. */
  start(): void {
    const { options } = this;
    this.log(
      `node ${JSON.stringify(options.nodeName)}: reading ${options.engineKind ?? 'the engine (kind to be detected)'} at ${options.engineUrl}` +
        ` every ${options.intervalSeconds} s, reporting to ${options.serverUrl ?? '(nowhere)'}`,
    );
    this.runCycle();
  }

  private runCycle(): void {
    const startedAt = performance.now();
    this.cycle = this.report()
      .then((report) => {
        // A cycle cut off by shutdown saw its requests aborted: that says nothing about the engine.
        if (this.stopping.signal.aborted || this.pusher === undefined) return;
        this.pusher.enqueue(report);
        this.pusher.pushSoon();
      })
      .catch((error: unknown) => this.log(`cycle failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
      .finally(() => {
        if (this.stopping.signal.aborted) return;
        const wait = Math.max(0, this.options.intervalSeconds * 1000 - (performance.now() - startedAt));
        this.timer = setTimeout(() => this.runCycle(), wait);
      });
  }

  /** Stops the cycles, aborts engine and policy requests, then gives buffered reports a last chance. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.cycle;
    if (this.pusher === undefined) return;
    const delivered = await this.pusher.flushWithin(SHUTDOWN_FLUSH_MILLISECONDS);
    if (!delivered) this.log(`${this.pusher.bufferedReports} report(s) not delivered at shutdown`);
    this.pusher.stop();
  }

  private logChanges(observation: EngineObservation): void {
    const models = observation.models.join(', ');
    const allowed = this.policy?.current?.policy;
    const outsidePolicy = allowed === undefined ? '' : observation.models.filter((model) => !allowed.allowedModels.includes(model)).join(', ');
    const before = this.lastSeen;
    // Metrics failing along with a down engine say nothing more; they are judged while it is up.
    const metricsError = observation.up ? observation.metricsError : (before?.metricsError ?? null);
    this.lastSeen = { up: observation.up, error: observation.error, models, version: observation.version, metricsError, outsidePolicy };
    if (this.stopping.signal.aborted) return;
    if (observation.up && (before === undefined || !before.up)) {
      this.log(`engine up: ${observation.kind ?? 'unknown kind'} ${observation.version ?? '(version unknown)'}, serving ${observation.models.length} model(s): ${models || '(none)'}`);
    } else if (observation.up && before !== undefined && before.models !== models) {
      this.log(`models served changed: ${models || '(none)'}`);
    } else if (observation.up && before !== undefined && before.version !== observation.version && observation.version !== null) {
      this.log(`engine version changed: ${before.version ?? '(unknown)'} → ${observation.version}`);
    }
    if (!observation.up && (before === undefined || before.up || before.error !== observation.error)) {
      this.log(`engine down: ${observation.error ?? 'no answer'}`);
    }
    if (observation.up && metricsError !== (before?.metricsError ?? null)) {
      this.log(metricsError === null ? 'engine metrics readable again' : `engine metrics: ${metricsError}`);
    }
    if (outsidePolicy !== '' && outsidePolicy !== before?.outsidePolicy && allowed !== undefined) {
      this.log(`serving model(s) outside the node policy (version ${allowed.version}): ${outsidePolicy}`);
    }
  }
}
