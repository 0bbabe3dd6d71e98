import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { clickhouseTime, dateFromClickhouseTime } from '../../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../../engine/config/config';
import { CONFIG } from '../../../engine/engine.module';
import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';
import { DecisionService } from '../../policies/decision.service';
import type { NodeEntity } from '../node.entity';
import { NodeService } from '../nodes.service';
import { readNodeHeartbeat, type NodeHeartbeatInput } from './dto/node-heartbeat-input';
import type { NodeHeartbeatEntity } from './node-heartbeat.entity';
import { NodeEngineMetricsRepository, engineMetricsKey, type EngineMetricsRow } from './node-engine-metrics.repository';
import { NodeHeartbeatsRepository } from './node-heartbeats.repository';

/** `POST /api/v1/nodes/{name}/heartbeat` answers this (200): stored now, or stored already (a re-sent report). */
export interface HeartbeatAnswer {
  node: string;
  id: string;
  status: 'stored' | 'duplicate';
}

/** `GET /api/v1/nodes/{name}/policy`: the NodePolicy contract (allowedModels, version) plus what it was made of. */
export interface NodePolicyAnswer {
  node: string;
  allowedModels: string[];
  /** Changes whenever the allowed models or any policy that applies to the node does. */
  version: string;
  policies: Array<{ name: string; version: number }>;
}

/** The policy answer as sent, with its strong ETag (a hash of exactly these bytes). */
export interface NodePolicyRepresentation {
  answer: NodePolicyAnswer;
  body: string;
  etag: string;
}

/** What the console shows of a node's agent. */
export interface AgentStatus {
  lastHeartbeatAt: Date | null;
  agentVersion: string | null;
  engineVersion: string | null;
  engineKind: string | null;
  engineUp: boolean | null;
  engineError: string | null;
  agentSilent: boolean;
  servedModels: string[];
}

export interface NodeRequestStats {
  node: string;
  from: Date;
  to: Date;
  requests: number;
  requestsPerMinute: number;
  errorRate: number;
  latencyMsP50: number | null;
  latencyMsP95: number | null;
  latencyMsP99: number | null;
  ttftMsP50: number | null;
  ttftMsP95: number | null;
  ttftMsP99: number | null;
}

export interface EngineMetricsPoint {
  time: Date;
  samples: number;
  engineUpRatio: number;
  queueDepth: number | null;
  queueDepthMax: number | null;
  running: number | null;
  kvCacheUsageRatio: number | null;
  kvCacheUsageRatioMax: number | null;
  promptTokensPerSecond: number | null;
  generationTokensPerSecond: number | null;
  ttftP50Seconds: number | null;
  ttftP99Seconds: number | null;
}

export interface EngineMetricsSeries {
  node: string;
  from: Date;
  to: Date;
  bucketSeconds: number;
  points: EngineMetricsPoint[];
}

/** Longest range nodeStats and nodeEngineMetrics read (raw rows): README "Node agent". */
export const MAX_NODE_RANGE_DAYS = 93;
/** Buckets a series is cut into at most; the bucket is the smallest of these steps that keeps under it. */
const MAX_SERIES_POINTS = 500;
const BUCKET_STEPS_SECONDS = [15, 30, 60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400];

function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** JSON with keys in a fixed order and no spaces: the same answer is always the same bytes, so the same ETag. */
function canonicalPolicyBody(answer: NodePolicyAnswer): string {
  return JSON.stringify({
    node: answer.node,
    allowedModels: answer.allowedModels,
    version: answer.version,
    policies: answer.policies.map((policy) => ({ name: policy.name, version: policy.version })),
  });
}

/**
 * The server side of warden-node-agent: heartbeats in (the last one per node in Postgres, every engine sample in
 * ClickHouse, exactly once), the node's policy out with an ETag, and what the console reads of both.
 */
@Injectable()
export class NodeAgentService {
  constructor(
    private readonly nodes: NodeService,
    private readonly decisions: DecisionService,
    private readonly heartbeats: NodeHeartbeatsRepository,
    private readonly metrics: NodeEngineMetricsRepository,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  private async nodeNamed(name: string): Promise<NodeEntity> {
    const node = await this.nodes.findByName(name);
    if (!node) {
      throw new DomainError(
        ErrorCode.NotFound,
        `No node named ${JSON.stringify(name)}: register it in Warden (console Nodes, or the createNode mutation) with the name the agent uses (--node-name)`,
      );
    }
    return node;
  }

  /** Validates and stores one report; a re-sent one (same id and sampledAt) is answered `duplicate`. */
  async recordHeartbeat(nodeName: string, body: unknown, now = new Date()): Promise<HeartbeatAnswer> {
    const node = await this.nodeNamed(nodeName);
    const heartbeat = readNodeHeartbeat(body, now);
    // The agent is alive as soon as it reached us: the row first, so a ClickHouse outage never makes it look silent.
    await this.heartbeats.saveIfNewer(this.lastHeartbeatOf(node, heartbeat, now));
    const retentionDays = (await this.decisions.gpuRetentionDays(node.name)) ?? this.config.retentionDays;
    const row = this.metricsRowOf(node.name, heartbeat, retentionDays, now);
    const outcome = await this.metrics.write([row]);
    const key = engineMetricsKey(row.node, heartbeat.sampledAt.getTime(), row.id);
    const refused = outcome.refusedRows.get(0);
    if (refused !== undefined) throw new DomainError(ErrorCode.Validation, `heartbeat: the metrics store refused the report: ${refused}`, { problems: [{ field: '', message: refused }] });
    return { node: node.name, id: heartbeat.id, status: outcome.duplicateKeys.has(key) ? 'duplicate' : 'stored' };
  }

  /** The node's allowed models, decided by the decision engine, as the agent pulls them. */
  async nodePolicy(nodeName: string): Promise<NodePolicyRepresentation> {
    const node = await this.nodeNamed(nodeName);
    const last = await this.heartbeats.findByNodeId(node.id);
    // What the node is known to serve: its agent's last report, and the gateway's declared and discovered models.
    const candidates = [...(last?.servedModels ?? []), ...(node.declaredModels ?? []), ...(node.discoveredModels ?? [])];
    const { allowedModels, policies } = await this.decisions.nodeAllowedModels(node.name, candidates);
    const version = createHash('sha256')
      .update(JSON.stringify({ allowedModels, policies: policies.map((policy) => [policy.name, policy.version]) }))
      .digest('hex')
      .slice(0, 16);
    const answer: NodePolicyAnswer = { node: node.name, allowedModels, version, policies: policies.map((policy) => ({ name: policy.name, version: policy.version })) };
    const body = canonicalPolicyBody(answer);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { answer, body, etag };
  }

  /** Every node's last heartbeat, by node id (one row per node: small). */
  async allHeartbeats(): Promise<Map<string, NodeHeartbeatEntity>> {
    const rows = await this.heartbeats.findAll();
    return new Map(rows.map((row) => [row.nodeId, row]));
  }

  /** Silent: the agent reported once and not within WARDEN_AGENT_SILENT_AFTER_SECONDS (Warden's clock). */
  agentStatus(heartbeat: NodeHeartbeatEntity | undefined, now = new Date()): AgentStatus {
    if (!heartbeat) {
      return { lastHeartbeatAt: null, agentVersion: null, engineVersion: null, engineKind: null, engineUp: null, engineError: null, agentSilent: false, servedModels: [] };
    }
    return {
      lastHeartbeatAt: heartbeat.receivedAt,
      agentVersion: heartbeat.agentVersion,
      engineVersion: heartbeat.engineVersion,
      engineKind: heartbeat.engineKind,
      engineUp: heartbeat.engineUp,
      engineError: heartbeat.engineError,
      agentSilent: now.getTime() - heartbeat.receivedAt.getTime() > this.config.nodeAgents.silentAfterSeconds * 1000,
      servedModels: [...heartbeat.servedModels],
    };
  }

  /** Request statistics of one node over [from, to); zeros (and null percentiles) when it served nothing. */
  async nodeStats(node: string, from: Date, to: Date): Promise<NodeRequestStats> {
    checkRange(from, to);
    const [record] = await this.metrics.requestStats([node], from, to);
    return toStats(node, from, to, record);
  }

  /** The same for many nodes at once (every node that served requests when `nodes` is empty), for the node list. */
  async nodesStats(nodes: readonly string[], from: Date, to: Date): Promise<NodeRequestStats[]> {
    checkRange(from, to);
    const records = await this.metrics.requestStats(nodes, from, to);
    const byNode = new Map(records.map((record) => [record.node, record]));
    const names = nodes.length > 0 ? [...new Set(nodes)] : records.map((record) => record.node);
    return names.map((name) => toStats(name, from, to, byNode.get(name)));
  }

  async engineMetrics(node: string, from: Date, to: Date): Promise<EngineMetricsSeries> {
    checkRange(from, to);
    const rangeSeconds = (to.getTime() - from.getTime()) / 1000;
    const bucketSeconds = BUCKET_STEPS_SECONDS.find((step) => rangeSeconds / step <= MAX_SERIES_POINTS) ?? 86_400;
    const records = await this.metrics.series(node, from, to, bucketSeconds);
    return {
      node,
      from,
      to,
      bucketSeconds,
      points: records.map((record) => ({
        time: dateFromClickhouseTime(record.time),
        samples: Number(record.samples),
        engineUpRatio: Number(record.samples) === 0 ? 0 : Number(record.engine_up_samples) / Number(record.samples),
        queueDepth: finiteOrNull(record.queue_depth_avg),
        queueDepthMax: finiteOrNull(record.queue_depth_max),
        running: finiteOrNull(record.running_avg),
        kvCacheUsageRatio: finiteOrNull(record.kv_cache_usage_ratio_avg),
        kvCacheUsageRatioMax: finiteOrNull(record.kv_cache_usage_ratio_max),
        promptTokensPerSecond: finiteOrNull(record.prompt_tokens_per_second_avg),
        generationTokensPerSecond: finiteOrNull(record.generation_tokens_per_second_avg),
        ttftP50Seconds: finiteOrNull(record.ttft_p50_seconds_avg),
        ttftP99Seconds: finiteOrNull(record.ttft_p99_seconds_max),
      })),
    };
  }

  private lastHeartbeatOf(node: NodeEntity, heartbeat: NodeHeartbeatInput, now: Date): NodeHeartbeatEntity {
    const { metrics } = heartbeat;
    return {
      nodeId: node.id,
      heartbeatId: heartbeat.id,
      sampledAt: heartbeat.sampledAt,
      receivedAt: now,
      agentVersion: heartbeat.agentVersion,
      intervalSeconds: heartbeat.intervalSeconds,
      engineKind: heartbeat.engine.kind,
      engineVersion: heartbeat.engine.version,
      engineUp: heartbeat.engine.up,
      engineError: heartbeat.engine.error,
      servedModels: heartbeat.models,
      metrics: {
        queueDepth: metrics.queueDepth,
        running: metrics.running,
        kvCacheUsageRatio: metrics.kvCacheUsageRatio,
        promptTokensPerSecond: metrics.promptTokensPerSecond,
        generationTokensPerSecond: metrics.generationTokensPerSecond,
        error: metrics.error,
      },
      policyVersion: heartbeat.policyVersion,
      droppedReports: heartbeat.droppedReports,
    };
  }

  private metricsRowOf(node: string, heartbeat: NodeHeartbeatInput, retentionDays: number, now: Date): EngineMetricsRow {
    const { metrics } = heartbeat;
    return {
      id: heartbeat.id,
      node,
      sampled_at: clickhouseTime(heartbeat.sampledAt),
      received_at: clickhouseTime(now),
      agent_version: heartbeat.agentVersion,
      engine_kind: heartbeat.engine.kind ?? '',
      engine_version: heartbeat.engine.version ?? '',
      engine_up: heartbeat.engine.up ? 1 : 0,
      models: heartbeat.models,
      queue_depth: metrics.queueDepth,
      running: metrics.running,
      kv_cache_usage_ratio: metrics.kvCacheUsageRatio,
      prompt_tokens_per_second: metrics.promptTokensPerSecond,
      generation_tokens_per_second: metrics.generationTokensPerSecond,
      ttft_window: metrics.ttftSeconds?.window ?? '',
      ttft_observations: metrics.ttftSeconds?.observations ?? 0,
      ttft_p50_seconds: metrics.ttftSeconds?.p50 ?? null,
      ttft_p90_seconds: metrics.ttftSeconds?.p90 ?? null,
      ttft_p99_seconds: metrics.ttftSeconds?.p99 ?? null,
      metrics_error: metrics.error ?? '',
      dropped_reports: heartbeat.droppedReports,
      retention_days: retentionDays,
      ingested_at: clickhouseTime(now),
    };
  }
}

function checkRange(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime())) throw new DomainError(ErrorCode.Validation, 'to: must be after from', { problems: [{ field: 'to', message: 'must be after from' }] });
  if (to.getTime() - from.getTime() > MAX_NODE_RANGE_DAYS * 86_400_000) {
    throw new DomainError(ErrorCode.Validation, `to: the range may span at most ${MAX_NODE_RANGE_DAYS} days`, {
      problems: [{ field: 'to', message: `the range may span at most ${MAX_NODE_RANGE_DAYS} days` }],
    });
  }
}

function toStats(node: string, from: Date, to: Date, record: { requests: string; errors: string; latency: number[]; ttft: number[]; ttft_requests: string } | undefined): NodeRequestStats {
  const requests = Number(record?.requests ?? 0);
  const minutes = (to.getTime() - from.getTime()) / 60_000;
  const ttftRequests = Number(record?.ttft_requests ?? 0);
  const quantile = (values: number[] | undefined, index: number, count: number) => (count === 0 ? null : finiteOrNull(values?.[index]));
  return {
    node,
    from,
    to,
    requests,
    requestsPerMinute: requests / minutes,
    errorRate: requests === 0 ? 0 : Number(record?.errors ?? 0) / requests,
    latencyMsP50: quantile(record?.latency, 0, requests),
    latencyMsP95: quantile(record?.latency, 1, requests),
    latencyMsP99: quantile(record?.latency, 2, requests),
    ttftMsP50: quantile(record?.ttft, 0, ttftRequests),
    ttftMsP95: quantile(record?.ttft, 1, ttftRequests),
    ttftMsP99: quantile(record?.ttft, 2, ttftRequests),
  };
}
