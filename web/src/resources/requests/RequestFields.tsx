import { Chip, Link, Tooltip } from '@mui/material';
import type { MouseEvent } from 'react';
import { Link as RouterLink, useRecordContext } from 'react-admin';
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

/** The decision id, cut for the table (the full id on hover and on the detail page). */
export function DecisionField(_: FieldProps) {
  const request = useRecordContext<RequestRecord>();
  if (!request?.decisionId) return <span>—</span>;
  return (
    <Tooltip title={request.decisionId}>
      <span data-testid="request-decision">{request.decisionId.slice(0, 8)}</span>
    </Tooltip>
  );
}

/** The serving node, linking to the node list filtered to it (where its detail page opens). */
export function NodeLinkField(_: FieldProps) {
  const request = useRecordContext<RequestRecord>();
  if (!request?.node) return <span>—</span>;
  return (
    <Link
      component={RouterLink}
      to={{ pathname: '/nodes', search: `?filter=${encodeURIComponent(JSON.stringify({ name: request.node }))}` }}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    >
      {request.node}
    </Link>
  );
}
