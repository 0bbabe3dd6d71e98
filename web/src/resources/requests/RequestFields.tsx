import { Chip, Tooltip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatUsd } from '../../format';
import type { RequestRecord } from './requestRecord';

const compactChip = { height: 20, fontSize: 11 };

// `label` is read by the show layout that hosts the field.
interface FieldProps {
  label?: string;
}

export function CostField(_: FieldProps) {
  const request = useRecordContext<RequestRecord>();
  if (!request) return null;
  if (!request.priceKnown || request.costUsd == null) {
    return (
      <Tooltip title="No price in the catalog for this model at this time">
        <Chip label="unknown price" size="small" color="warning" variant="outlined" sx={compactChip} />
      </Tooltip>
    );
  }
  return <span>{formatUsd(request.costUsd)}</span>;
}

export function StatusField(_: FieldProps) {
  const request = useRecordContext<RequestRecord>();
  if (!request) return null;
  const failed = request.status !== 'ok';
  const chip = (
    <Chip label={request.status} size="small" color={failed ? 'error' : 'success'} variant="outlined" sx={compactChip} />
  );
  return failed && request.errorType ? <Tooltip title={request.errorType}>{chip}</Tooltip> : chip;
}
