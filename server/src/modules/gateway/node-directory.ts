import { Injectable, Logger } from '@nestjs/common';
import { NodeService, type RoutableNode } from '../nodes/nodes.service';

/** How long the node list is served from memory before it is read again (in the background). */
const REFRESH_MS = 2_000;
/** A node that refused a connection is skipped this long by this process, before the next health check says more. */
const PASSIVE_DOWN_MS = 5_000;

/**
 * The routable nodes, held in memory: a request never waits for Postgres once the list is loaded. Refreshed in the
 * background every two seconds, so an edit or a health check takes effect within that.
 */
@Injectable()
export class NodeDirectory {
  private readonly logger = new Logger('Gateway');
  private nodes: RoutableNode[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  private stale = false;
  private readonly downUntil = new Map<string, number>();

  constructor(private readonly service: NodeService) {
    service.onChange(() => this.invalidate());
  }

  /** The current list; the first call (and one after a long idle) waits for a read, later ones never do. */
  async all(now = Date.now()): Promise<readonly RoutableNode[]> {
    if (this.stale) {
      // A node changed through this process: the next request sees the change.
      this.stale = false;
      this.loading = null;
      await this.load(now);
    } else if (now - this.loadedAt > REFRESH_MS) {
      const load = this.load(now);
      if (this.loadedAt === -Infinity) await load;
    }
    return this.nodes;
  }

  /** Forgets the cached list (an edit through this process): the next request reads it again first. */
  invalidate(): void {
    this.stale = true;
  }

  /**
   * Nodes that may serve `model` now, in the order to try them: enabled, not down, serving the model; only
   * on-premises ones when `onPremisesOnly`; by routingPreference (lower first, none last), then name.
   */
  async candidates(model: string, onPremisesOnly: boolean, now = Date.now()): Promise<{ usable: RoutableNode[]; servedAnywhere: boolean }> {
    const nodes = await this.all(now);
    const serving = nodes.filter((node) => node.enabled && node.models.includes(model));
    const usable = serving
      .filter((node) => node.healthStatus !== 'down' && (this.downUntil.get(node.id) ?? 0) <= now && (!onPremisesOnly || node.location === 'on-premises'))
      .sort(
        (first, second) =>
          (first.routingPreference ?? Number.MAX_SAFE_INTEGER) - (second.routingPreference ?? Number.MAX_SAFE_INTEGER) || first.name.localeCompare(second.name),
      );
    return { usable, servedAnywhere: serving.length > 0 };
  }

  /** Every model some enabled node serves. */
  async servedModels(): Promise<string[]> {
    const models = new Set<string>();
    for (const node of await this.all()) if (node.enabled) for (const model of node.models) models.add(model);
    return [...models].sort();
  }

  markDown(nodeId: string, now = Date.now()): void {
    this.downUntil.set(nodeId, now + PASSIVE_DOWN_MS);
  }

  private load(now: number): Promise<void> {
    this.loading ??= this.service
      .routableNodes()
      .then((nodes) => {
        this.nodes = nodes;
        this.loadedAt = now;
      })
      .catch((error: unknown) => {
        // Keep routing over the last list while Postgres is away; a first load that fails is the caller's error.
        this.logger.error(`node list not refreshed: ${error instanceof Error ? error.message : String(error)}`);
        if (this.loadedAt === -Infinity) throw error;
        this.loadedAt = now;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
