import { Box, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, NumberField, Show, TabbedShowLayout, TextField, useRecordContext } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { PolicyPlayground } from './PolicyPlayground';
import { PolicyVersionHistory } from './PolicyVersionHistory';
import { scopeLabel, type PolicyRecord } from './policyRecord';

function PolicyDocumentView() {
  const policy = useRecordContext<PolicyRecord>();
  if (!policy) return null;
  return (
    <Box component="pre" data-testid="policy-document" sx={{ fontFamily: 'monospace', fontSize: 13, bgcolor: 'action.hover', p: 1, m: 0, overflowX: 'auto' }}>
      {JSON.stringify(policy.document, null, 2)}
    </Box>
  );
}

function StoredPlayground() {
  const policy = useRecordContext<PolicyRecord>();
  return policy ? <PolicyPlayground policyId={policy.id} /> : null;
}

/** Read-only (compliance, and admins from the list's show view): the document, its history with diffs, the playground. */
export function PolicyShow() {
  return (
    <Show title="Policy">
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Policy">
          <TextField source="name" />
          <Labeled label="Scope">
            <FunctionField<PolicyRecord> render={policy => scopeLabel(policy)} />
          </Labeled>
          <NumberField source="version" />
          <DateField source="updatedAt" label="Changed" showTime options={compactDateTimeOptions} />
          <TextField source="updatedBy" label="By" />
          <Typography variant="subtitle1">Document</Typography>
          <PolicyDocumentView />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="History">
          <PolicyVersionHistory />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Playground">
          <StoredPlayground />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}
