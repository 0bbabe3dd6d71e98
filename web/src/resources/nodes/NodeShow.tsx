import { Card, CardContent, Grid, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { EditButton, Show, TopToolbar, usePermissions, useRecordContext } from 'react-admin';
import { NodeActivity } from '../../dashboards/nodes/NodeActivity';
import { LastHeartbeatField, NodeStatusField } from './NodeAgentFields';
import { modelsOfNode, type NodeRecord } from './nodeRecord';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Grid size={{ xs: 12, sm: 6, md: 3 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </Grid>
  );
}

function NodeSummary() {
  const node = useRecordContext<NodeRecord>();
  if (!node) return null;
  const models = modelsOfNode(node);
  return (
    <Card data-testid="node-summary">
      <CardContent>
        <Grid container spacing={2}>
          <Item label="Status">
            <NodeStatusField />
          </Item>
          <Item label="Location">{node.location ?? '—'}</Item>
          <Item label="Kind">{node.kind}</Item>
          <Item label="Last heartbeat">
            <LastHeartbeatField />
          </Item>
          <Item label="Agent">{node.agentVersion ? `warden-node-agent ${node.agentVersion}` : '—'}</Item>
          <Item label="Engine">{[node.engineKind, node.engineVersion].filter(Boolean).join(' ') || '—'}</Item>
          <Grid size={{ xs: 12, md: 6 }}>
            <Typography variant="caption" color="text.secondary" component="div">
              Models
            </Typography>
            <Typography variant="body2" data-testid="node-summary-models">
              {models.length === 0 ? '—' : models.join(', ')}
            </Typography>
          </Grid>
        </Grid>
      </CardContent>
    </Card>
  );
}

function NodeDetail() {
  const node = useRecordContext<NodeRecord>();
  if (!node) return null;
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <NodeSummary />
      <NodeActivity node={node.name} />
    </Stack>
  );
}

function NodeTitle() {
  const node = useRecordContext<NodeRecord>();
  return <span>Node {node?.name ?? ''}</span>;
}

function NodeShowActions() {
  const { permissions } = usePermissions<string>();
  return <TopToolbar>{permissions === 'admin' && <EditButton />}</TopToolbar>;
}

/** A node's detail page: what it is and serves, what its agent says, its traffic and its engine. */
export function NodeShow() {
  return (
    <Show title={<NodeTitle />} actions={<NodeShowActions />}>
      <NodeDetail />
    </Show>
  );
}
