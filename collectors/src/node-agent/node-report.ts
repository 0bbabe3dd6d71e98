/**
 * The wire contract between warden-node-agent and the Warden server. The server mirrors these types; change
 * them only together with collectors/README.md and the server's endpoints.
 *
 *   POST {server}/api/v1/nodes/{name}/heartbeat   body NodeHeartbeat      → any 2xx: delivered
 *   GET  {server}/api/v1/nodes/{name}/policy      If-None-Match: <etag>   → 200 NodePolicy + ETag, or 304
 *
 * Both with `Authorization: Bearer <agent key>`; `{name}` is the node name, URI-encoded.
 */
import type { EngineKind } from './engine-kind';

export const HEARTBEAT_SCHEMA_VERSION = 1;

export interface TimeToFirstTokenQuantiles {
  /**
   * `interval`: requests whose first token came since the previous report; `engine_lifetime`: since the engine
   * started (the first report of an agent, and `--once`, have no previous scrape to difference against).
   */
  readonly window: 'interval' | 'engine_lifetime';
  /** Requests in the window; the quantiles are null when 0. */
  readonly observations: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
}

export interface NodeMetrics {
  /** Requests waiting for a slot. */
  readonly queueDepth: number | null;
  /** Requests being processed now. */
  readonly running: number | null;
  /** 0..1; 1 = the KV cache is full. */
  readonly kvCacheUsageRatio: number | null;
  /** Between the previous scrape and this one; null on the first scrape. */
  readonly promptTokensPerSecond: number | null;
  readonly generationTokensPerSecond: number | null;
  /** Seconds; null when the engine exposes no TTFT histogram (only vLLM does). */
  readonly ttftSeconds: TimeToFirstTokenQuantiles | null;
  /** Why the metrics could not be read (scrape failed, unreadable body); null when they were, or the engine has none. */
  readonly error: string | null;
}

export interface EngineStatus {
  /** null while the engine has not answered enough to tell (no --engine-kind, engine down since start). */
  readonly kind: EngineKind | null;
  readonly version: string | null;
  /** The engine answered its model list. */
  readonly up: boolean;
  /** Why it is down ("GET http://…/v1/models: connect ECONNREFUSED …"); null when up. */
  readonly error: string | null;
}

export interface NodeHeartbeat {
  readonly schemaVersion: typeof HEARTBEAT_SCHEMA_VERSION;
  /** Unique per report (UUID): a report re-sent after a lost answer carries the same id. */
  readonly id: string;
  readonly agentVersion: string;
  /** ISO-8601 UTC, when the engine was read. Buffered reports arrive late, oldest first. */
  readonly sampledAt: string;
  /** The agent's --interval: a server may call the agent silent after a few intervals without a report. */
  readonly intervalSeconds: number;
  readonly engine: EngineStatus;
  /** Model ids the engine serves now (empty when down). */
  readonly models: readonly string[];
  readonly metrics: NodeMetrics;
  /** `version` of the node policy the agent holds; null before it has one. */
  readonly policyVersion: string | number | null;
  /** Reports this agent gave up on since it started (buffer full while Warden was unreachable, or refused). */
  readonly droppedReports: number;
}

export interface NodePolicy {
  /** Model ids this node may serve. */
  readonly allowedModels: readonly string[];
  /** Changes whenever the policy does. */
  readonly version: string | number;
}
