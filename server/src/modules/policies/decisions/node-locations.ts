import { Injectable } from '@nestjs/common';
import { NodeService } from '../../nodes/nodes.service';
import type { NodeLocation } from '../rules';

/** Node registry reads are cached this long: a node's location rarely changes, and decisions are hot. */
const NODE_LOCATIONS_TTL_MS = 10_000;

/**
 * Where each registered node runs, for `keepOnPremises`. Read from the node's `location` (`on-premises` |
 * `external`, the gateway's node contract), or a `location` label until nodes carry that field. A node not
 * registered, or without a location, is treated as external: personal data kept on premises never goes there.
 */
@Injectable()
export class NodeLocations {
  private locations = new Map<string, NodeLocation>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(private readonly nodes: NodeService) {}

  async locationOf(name: string, now = Date.now()): Promise<NodeLocation | undefined> {
    if (now - this.loadedAt > NODE_LOCATIONS_TTL_MS) await this.load(now);
    return this.locations.get(name);
  }

  private load(now: number): Promise<void> {
    this.loading ??= this.nodes
      .findAll()
      .then((nodes) => {
        const locations = new Map<string, NodeLocation>();
        for (const node of nodes) {
          const declared = (node as { location?: unknown }).location ?? node.labels?.location;
          if (declared === 'on-premises' || declared === 'external') locations.set(node.name, declared);
        }
        this.locations = locations;
        this.loadedAt = now;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
