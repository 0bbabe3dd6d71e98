import { Chip, Stack, Tooltip, Typography } from '@mui/material';
import type { ReactElement } from 'react';
import { useRecordContext } from 'react-admin';
import { formatTimeOfDay } from '../../dashboards/fleet/gpuFormat';
import { modelsOfNode, type NodeRecord } from './nodeRecord';

const compactChip = { height: 20, fontSize: 11 };

// `label` is read by the list or show layout that hosts the field.
interface FieldProps {
  label?: string;
}

/** Health as the gateway's checks see it, then what the agent says of the engine; a dash when nobody knows. */
export function NodeStatusField(_: FieldProps) {
  const node = useRecordContext<NodeRecord>();
  if (!node) return null;
  const chips: ReactElement[] = [];
  if (node.enabled === false) chips.push(<Chip key="disabled" label="disabled" size="small" variant="outlined" sx={compactChip} />);
  if (node.health?.status) {
    const color = node.health.status === 'up' ? 'success' : node.health.status === 'down' ? 'error' : 'default';
    chips.push(
      <Tooltip key="health" title={node.health.error ?? (node.health.latencyMs == null ? 'health check' : `health check: ${Math.round(node.health.latencyMs)} ms`)}>
        <Chip label={node.health.status} size="small" color={color} variant="outlined" sx={compactChip} data-testid="node-health" />
      </Tooltip>,
    );
  }
  if (node.engineUp != null) {
    chips.push(
      <Tooltip key="engine" title={node.engineError ?? 'as the node agent last reported'}>
        <Chip
          label={node.engineUp ? 'engine up' : 'engine down'}
          size="small"
          color={node.engineUp ? 'success' : 'error'}
          variant="outlined"
          sx={compactChip}
          data-testid="node-engine-status"
        />
      </Tooltip>,
    );
  }
  if (chips.length === 0) return <span>—</span>;
  return (
    <Stack direction="row" spacing={0.5}>
      {chips}
    </Stack>
  );
}

/** When the agent last reported, with a "silent" badge once it stopped. */
export function LastHeartbeatField(_: FieldProps) {
  const node = useRecordContext<NodeRecord>();
  if (!node) return null;
  if (!node.lastHeartbeatAt) {
    return (
      <Typography variant="body2" color="text.secondary" component="span" data-testid="node-last-heartbeat">
        no agent
      </Typography>
    );
  }
  return (
    <Stack direction="row" spacing={0.5} alignItems="center">
      <span data-testid="node-last-heartbeat">{formatTimeOfDay(node.lastHeartbeatAt)}</span>
      {node.agentSilent && (
        <Tooltip title="No heartbeat from the node agent within WARDEN_AGENT_SILENT_AFTER_SECONDS">
          <Chip label="silent" size="small" color="warning" sx={compactChip} data-testid="agent-silent" />
        </Tooltip>
      )}
    </Stack>
  );
}

/** The models the node serves, a few in full and the count of the rest. */
export function NodeModelsField(_: FieldProps) {
  const node = useRecordContext<NodeRecord>();
  if (!node) return null;
  const models = modelsOfNode(node);
  if (models.length === 0) return <span>—</span>;
  const shown = models.slice(0, 3).join(', ');
  return (
    <Tooltip title={models.join(', ')}>
      <span data-testid="node-models">{models.length > 3 ? `${shown} +${models.length - 3}` : shown}</span>
    </Tooltip>
  );
}
