import { Chip, Tooltip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatUsd } from '../../format';
import type { RequestRecord } from './requestRecord';

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
        <Chip label="unknown price" size="small" color="warning" variant="outlined" />
      </Tooltip>
    );
  }
  return <span>{formatUsd(request.costUsd)}</span>;
}

export function StatusField(_: FieldProps) {
  const request = useRecordContext<RequestRecord>();
  if (!request) return null;
  const failed = request.status !== 'ok';
  const label = failed && request.errorType ? `${request.status}: ${request.errorType}` : request.status;
  return <Chip label={label} size="small" color={failed ? 'error' : 'success'} variant="outlined" />;
}
