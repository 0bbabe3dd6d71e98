import { MenuItem, Stack, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import type { FleetFilterValues } from './fleetFilter';

interface FleetFiltersProps {
  values: FleetFilterValues;
  nodeNames: readonly string[];
  gpuNames: readonly string[];
  onChange: (values: FleetFilterValues) => void;
}

const typingPauseMilliseconds = 500;

/** Node and GPU model are picked from what reports; served model and label are typed (applied after a pause). */
export function FleetFilters({ values, nodeNames, gpuNames, onChange }: FleetFiltersProps) {
  const [typed, setTyped] = useState({ model: values.model, label: values.label });
  // The URL may change under the page (a link, Back): what is typed then follows it, rather than undoing it.
  const [fromUrl, setFromUrl] = useState({ model: values.model, label: values.label });
  if (fromUrl.model !== values.model || fromUrl.label !== values.label) {
    setFromUrl({ model: values.model, label: values.label });
    setTyped({ model: values.model, label: values.label });
  }
  useEffect(() => {
    if (typed.model === values.model && typed.label === values.label) return;
    const timer = setTimeout(() => onChange({ ...values, ...typed }), typingPauseMilliseconds);
    return () => clearTimeout(timer);
  }, [typed, values, onChange]);

  const nodeChoices = values.node && !nodeNames.includes(values.node) ? [values.node, ...nodeNames] : nodeNames;
  const gpuChoices = values.gpuName && !gpuNames.includes(values.gpuName) ? [values.gpuName, ...gpuNames] : gpuNames;
  return (
    <Stack direction="row" spacing={2} flexWrap="wrap" useFlexGap data-testid="fleet-filters">
      <TextField
        select
        size="small"
        label="Node"
        value={values.node}
        onChange={event => onChange({ ...values, node: event.target.value })}
        sx={{ width: 200 }}
      >
        <MenuItem value="">All nodes</MenuItem>
        {nodeChoices.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="GPU model"
        value={values.gpuName}
        onChange={event => onChange({ ...values, gpuName: event.target.value })}
        sx={{ width: 240 }}
      >
        <MenuItem value="">All GPU models</MenuItem>
        {gpuChoices.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        label="Served model"
        placeholder="e.g. llama-3-8b"
        value={typed.model}
        onChange={event => setTyped({ ...typed, model: event.target.value })}
        sx={{ width: 200 }}
      />
      <TextField
        size="small"
        label="Node label"
        placeholder="key=value"
        value={typed.label}
        onChange={event => setTyped({ ...typed, label: event.target.value })}
        sx={{ width: 200 }}
      />
    </Stack>
  );
}
