import { Chip, Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { NodeRecord } from './nodeRecord';

export function NodeLabelsField() {
  const node = useRecordContext<NodeRecord>();
  if (!node || node.labels.length === 0) return null;
  return (
    <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
      {node.labels.map(label => (
        <Chip key={label.key} size="small" label={label.value ? `${label.key}=${label.value}` : label.key} />
      ))}
    </Stack>
  );
}
