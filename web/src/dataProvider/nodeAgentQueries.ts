import { gql, type TypedDocumentNode } from '@apollo/client';

// Typed node documents (server: modules/nodes/agent): request statistics from the request log, engine metrics from
// the node agent's heartbeats. Latency and TTFT in milliseconds, ratios 0..1.

export interface NodeStats {
  node: string;
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

const statsFields = `
  node
  requests
  requestsPerMinute
  errorRate
  latencyMsP50
  latencyMsP95
  latencyMsP99
  ttftMsP50
  ttftMsP95
  ttftMsP99
`;

export const nodeStatsQuery: TypedDocumentNode<{ nodeStats: NodeStats }, { node: string; from: string; to: string }> = gql`
  query NodeStats($node: String!, $from: DateTime!, $to: DateTime!) {
    nodeStats(node: $node, from: $from, to: $to) {
      ${statsFields}
    }
  }
`;

export const nodesStatsQuery: TypedDocumentNode<{ nodesStats: NodeStats[] }, { nodes?: string[]; from: string; to: string }> = gql`
  query NodesStats($nodes: [String!], $from: DateTime!, $to: DateTime!) {
    nodesStats(nodes: $nodes, from: $from, to: $to) {
      ${statsFields}
    }
  }
`;

export interface EngineMetricsPoint {
  time: string;
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

export interface NodeEngineMetrics {
  node: string;
  from: string;
  to: string;
  bucketSeconds: number;
  points: EngineMetricsPoint[];
}

export const nodeEngineMetricsQuery: TypedDocumentNode<{ nodeEngineMetrics: NodeEngineMetrics }, { node: string; from: string; to: string }> = gql`
  query NodeEngineMetrics($node: String!, $from: DateTime!, $to: DateTime!) {
    nodeEngineMetrics(node: $node, from: $from, to: $to) {
      node
      from
      to
      bucketSeconds
      points {
        time
        samples
        engineUpRatio
        queueDepth
        queueDepthMax
        running
        kvCacheUsageRatio
        kvCacheUsageRatioMax
        promptTokensPerSecond
        generationTokensPerSecond
        ttftP50Seconds
        ttftP99Seconds
      }
    }
  }
`;
