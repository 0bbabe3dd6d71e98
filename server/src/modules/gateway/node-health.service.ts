import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { request } from 'undici';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG, QUEUE } from '../../engine/engine.module';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { NodeService, type NodeHealthReport, type RoutableNode } from '../nodes/nodes.service';
import { DecisionService } from '../policies/decision.service';
import { NodeDirectory } from './node-directory';
import { authHeaders, upstreamUrl } from './upstream-url';

/** A node that does not list its models within this long is down. */
const CHECK_TIMEOUT_MS = 5_000;
/** Nodes checked at once. */
const CONCURRENCY = 8;

/**
 * Health checks of every routable node on a schedule (WARDEN_NODE_HEALTH_INTERVAL_SECONDS): `GET {baseUrl}/v1/models`
 * answers up (with its latency and the models it lists, kept as discovered models) or down (with the error). A node
 * serving a model its node policy does not allow is flagged. With REDIS_URL the schedule is a BullMQ job scheduler
 * (one check per interval across every process), otherwise a timer in this process.
 */
@Injectable()
export class NodeHealthService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('NodeHealth');

  constructor(
    private readonly nodes: NodeService,
    private readonly decisions: DecisionService,
    private readonly directory: NodeDirectory,
    @Inject(QUEUE) private readonly queue: QueuePort,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler('nodes.health-check', async () => this.checkAll());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule('nodes.health-check', {}, this.config.gateway.healthIntervalMs);
  }

  /** Checks every node with a base URL (disabled ones too: the console shows them); returns the reports by node name. */
  async checkAll(): Promise<Map<string, NodeHealthReport>> {
    const nodes = await this.nodes.routableNodes();
    const reports = new Map<string, NodeHealthReport>();
    for (let start = 0; start < nodes.length; start += CONCURRENCY) {
      await Promise.all(
        nodes.slice(start, start + CONCURRENCY).map(async (node) => {
          const report = await this.check(node);
          reports.set(node.name, report);
          await this.nodes.recordHealth(node.id, report);
        }),
      );
    }
    this.directory.invalidate();
    return reports;
  }

  async check(node: RoutableNode, now = new Date()): Promise<NodeHealthReport> {
    const started = performance.now();
    let discovered: string[] | undefined;
    let error: string | null = null;
    try {
      const answer = await request(upstreamUrl(node.baseUrl, '/v1/models'), {
        method: 'GET',
        headers: { accept: 'application/json', ...authHeaders(node) },
        headersTimeout: CHECK_TIMEOUT_MS,
        bodyTimeout: CHECK_TIMEOUT_MS,
      });
      const text = await answer.body.text();
      if (answer.statusCode >= 200 && answer.statusCode < 300) {
        discovered = modelIdsOf(text);
      } else {
        error = `GET /v1/models answered ${answer.statusCode}`;
      }
    } catch (cause) {
      error = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
    }
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    const served = [...new Set([...node.models, ...(discovered ?? [])])];
    const allowed = new Set(await this.decisions.allowedModels({ node: node.name }, served));
    const flaggedModels = served.filter((model) => !allowed.has(model));
    if (error) this.logger.warn(`node ${node.name} is down: ${error}`);
    return { status: error ? 'down' : 'up', latencyMs: error ? null : latencyMs, checkedAt: now, error: error?.slice(0, 500) ?? null, discoveredModels: discovered, flaggedModels };
  }
}

/** The ids of an OpenAI (or Anthropic) model list; undefined when it is not one. */
function modelIdsOf(text: string): string[] | undefined {
  try {
    const body = JSON.parse(text) as { data?: unknown };
    if (!Array.isArray(body.data)) return undefined;
    return body.data.flatMap((model) => (typeof model === 'object' && model !== null && typeof (model as { id?: unknown }).id === 'string' ? [(model as { id: string }).id] : [])).slice(0, 1000);
  } catch {
    return undefined;
  }
}
