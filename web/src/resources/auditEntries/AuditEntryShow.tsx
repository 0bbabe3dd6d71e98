import { Box, Grid, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { targetLabel, type AuditEntryRecord } from './auditEntryRecord';

function JsonBlock({ value, testId }: { value: unknown; testId: string }) {
  return (
    <Box component="pre" data-testid={testId} sx={{ fontFamily: 'monospace', fontSize: 13, bgcolor: 'action.hover', p: 1, m: 0, overflowX: 'auto', minHeight: 32 }}>
      {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </Box>
  );
}

function BeforeAfter() {
  const entry = useRecordContext<AuditEntryRecord>();
  if (!entry) return null;
  return (
    <Box sx={{ width: '100%' }}>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">Before</Typography>
          <JsonBlock value={entry.before} testId="audit-before" />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">After</Typography>
          <JsonBlock value={entry.after} testId="audit-after" />
        </Grid>
      </Grid>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Details
      </Typography>
      <JsonBlock value={entry.details} testId="audit-details" />
    </Box>
  );
}

/** One entry: who did what to which target, the target before and after, and the hashes that chain it. */
export function AuditEntryShow() {
  return (
    <Show title="Audit entry">
      <SimpleShowLayout>
        <TextField source="sequence" label="#" />
        <DateField source="at" label="Time" showTime options={compactDateTimeOptions} />
        <TextField source="action" />
        <TextField source="actor" />
        <TextField source="actorRole" label="Role" emptyText="—" />
        <Labeled label="Target">
          <FunctionField<AuditEntryRecord> render={entry => targetLabel(entry) || '—'} />
        </Labeled>
        <TextField source="team" emptyText="—" />
        <BeforeAfter />
        <TextField source="prevHash" label="Previous hash" sx={{ fontFamily: 'monospace' }} />
        <TextField source="hash" label="Hash (SHA-256)" sx={{ fontFamily: 'monospace' }} />
      </SimpleShowLayout>
    </Show>
  );
}
