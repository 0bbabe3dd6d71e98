import { modelsOfNode, type NodeRecord } from '../../resources/nodes/nodeRecord';

export interface ModelRoute {
  model: string;
  /** Nodes that serve the model, in the gateway's order of preference (then by name). */
  nodes: NodeRecord[];
  /** Where a request that must stay on-premises (policy or personal data) can go: the on-premises nodes of `nodes`. */
  sensitiveNodes: NodeRecord[];
}

/** A node the gateway may route to now: enabled and not known to be down. */
export function routable(node: NodeRecord): boolean {
  return node.enabled !== false && (node.health?.status ?? 'up') !== 'down';
}

/** Per model, the nodes that serve it and those that may take its sensitive traffic. */
export function modelRoutes(nodes: readonly NodeRecord[]): ModelRoute[] {
  const byModel = new Map<string, NodeRecord[]>();
  for (const node of nodes) {
    for (const model of modelsOfNode(node)) byModel.set(model, [...(byModel.get(model) ?? []), node]);
  }
  const preference = (node: NodeRecord) => node.routingPreference ?? Number.MAX_SAFE_INTEGER;
  return [...byModel.entries()]
    .sort(([first], [second]) => first.localeCompare(second))
    .map(([model, serving]) => {
      const ordered = [...serving].sort((first, second) => preference(first) - preference(second) || first.name.localeCompare(second.name));
      return { model, nodes: ordered, sensitiveNodes: ordered.filter(node => node.location === 'on-premises') };
    });
}
