import { Alert } from '@mui/material';
import { Edit, usePermissions, useRecordContext } from 'react-admin';
import { PolicyForm } from './PolicyForm';
import { PolicyShow } from './PolicyShow';
import { cleanDocument, type PolicyDocument, type PolicyRecord } from './policyRecord';

const toMutation = (data: Record<string, unknown>) => ({ document: cleanDocument(data.document as PolicyDocument) });

function PolicyTitle() {
  const policy = useRecordContext<PolicyRecord>();
  return <span>Policy {policy ? `${policy.name} (v${policy.version})` : ''}</span>;
}

/** Admins edit (each save a new version when the document changed); everyone else who may read sees it read-only. */
export function PolicyEdit() {
  const { permissions, isPending } = usePermissions<string>();
  if (isPending) return null;
  if (permissions !== 'admin') return <PolicyShow />;
  return (
    <Edit title={<PolicyTitle />} mutationMode="pessimistic" transform={toMutation} redirect={false}>
      <Alert severity="info" sx={{ m: 2, mb: 0 }} data-testid="policy-edit-explanation">
        Saving writes a new version when the document changed; earlier versions stay readable under History.
      </Alert>
      <PolicyForm editing />
    </Edit>
  );
}
