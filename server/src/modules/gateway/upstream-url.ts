import type { RoutableNode } from '../nodes/nodes.service';

/** `{baseUrl}/v1/...`, whether the base URL was given with its `/v1` or without. */
export function upstreamUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}${path.slice(3)}` : `${base}${path}`;
}

/** How a node wants its key: Anthropic's `x-api-key` and version header, else a bearer token. */
export function authHeaders(node: Pick<RoutableNode, 'kind' | 'apiKey'>): Record<string, string> {
  if (node.kind === 'anthropic') return { 'anthropic-version': '2023-06-01', ...(node.apiKey ? { 'x-api-key': node.apiKey } : {}) };
  return node.apiKey ? { authorization: `Bearer ${node.apiKey}` } : {};
}
