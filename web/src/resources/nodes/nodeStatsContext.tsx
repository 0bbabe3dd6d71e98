import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { usePermissions, useRecordContext } from 'react-admin';
import { nodesStatsQuery, type NodeStats } from '../../dataProvider/nodeAgentQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatPercent } from '../../dashboards/fleet/gpuFormat';
import type { NodeRecord } from './nodeRecord';

/** The request statistics window of the node list: the last hour, to the minute. */
export const listStatsMinutes = 60;

/** Roles the server lets read node statistics; others see the list without them (and are not signed out). */
export const nodeStatsReaders = new Set(['admin', 'sre']);

const NodeStatsContext = createContext<{ byNode: Map<string, NodeStats>; loaded: boolean }>({ byNode: new Map(), loaded: false });

/** One nodesStats query for the whole list (every node that served in the window), shared by its rows. */
export function NodeStatsProvider({ children }: { children: ReactNode }) {
  const { permissions } = usePermissions<string>();
  const readable = nodeStatsReaders.has(permissions ?? '');
  const variables = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    return { from: new Date(to.getTime() - listStatsMinutes * 60_000).toISOString(), to: to.toISOString() };
  }, []);
  const { data } = useAnalyticsQuery(nodesStatsQuery, variables, { skip: !readable, pollInterval: 60_000 });
  const value = useMemo(
    () => ({ byNode: new Map((data?.nodesStats ?? []).map(stats => [stats.node, stats])), loaded: data !== undefined }),
    [data],
  );
  return <NodeStatsContext.Provider value={value}>{children}</NodeStatsContext.Provider>;
}

function useNodeStats(): { stats: NodeStats | undefined; loaded: boolean } {
  const node = useRecordContext<NodeRecord>();
  const { byNode, loaded } = useContext(NodeStatsContext);
  return { stats: node ? byNode.get(node.name) : undefined, loaded };
}

export function RequestsPerMinuteField(_: { label?: string }) {
  const { stats, loaded } = useNodeStats();
  if (!loaded) return <span>—</span>;
  const rate = stats?.requestsPerMinute ?? 0;
  return <span data-testid="node-requests-per-minute">{rate === 0 ? '0' : rate < 10 ? rate.toFixed(2) : Math.round(rate).toString()}</span>;
}

export function ErrorRateField(_: { label?: string }) {
  const { stats, loaded } = useNodeStats();
  if (!loaded) return <span>—</span>;
  if (!stats || stats.requests === 0) return <span data-testid="node-error-rate">—</span>;
  return <span data-testid="node-error-rate">{stats.errorRate > 0 && stats.errorRate < 0.01 ? '< 1 %' : formatPercent(stats.errorRate)}</span>;
}
