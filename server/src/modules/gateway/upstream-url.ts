import type { RoutableNode } from '../nodes/nodes.service';

/** `{baseUrl}/v1/...`, whether the base URL was given with its `/v1` or without. */
export function upstreamUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}${path.slice(3)}` : `${base}${path}`;
}

/** Where undici's dispatcher sends a node's request: its origin and path, read once from the URL. */
export interface UpstreamTarget {
  origin: string;
  path: string;
}

const targets = new Map<string, UpstreamTarget>();

/**
 * `upstreamUrl` as origin and path, remembered per node URL and endpoint: giving undici a URL string makes it parse
 * one per request.
 */
export function upstreamTarget(baseUrl: string, path: string): UpstreamTarget {
  const key = `${baseUrl} ${path}`;
  let target = targets.get(key);
  if (!target) {
    const url = new URL(upstreamUrl(baseUrl, path));
    target = { origin: url.origin, path: `${url.pathname}${url.search}` };
    // Node URLs change only when nodes are edited: a bound, never reached in practice, keeps old ones from piling up.
    if (targets.size >= 1_000) targets.clear();
    targets.set(key, target);
  }
  return target;
}

/** How a node wants its key: Anthropic's `x-api-key` and version header, else a bearer token. */
export function authHeaders(node: Pick<RoutableNode, 'kind' | 'apiKey'>): Record<string, string> {
  if (node.kind === 'anthropic') return { 'anthropic-version': '2023-06-01', ...(node.apiKey ? { 'x-api-key': node.apiKey } : {}) };
  return node.apiKey ? { authorization: `Bearer ${node.apiKey}` } : {};
}
