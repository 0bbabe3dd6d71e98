import { Box, Grid, Typography } from '@mui/material';
import {
  ArrayField,
  BooleanField,
  DataTable,
  DateField,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
} from 'react-admin';
import type { RequestRecord } from './requestRecord';
import { CostField, NodeLinkField, StatusField } from './RequestFields';

/** Prompt and completion as stored: possibly masked, possibly empty when the policy keeps no content. */
function ContentField({ source }: { source: 'prompt' | 'completion'; label?: string }) {
  const request = useRecordContext<RequestRecord>();
  const content = request?.[source] ?? '';
  if (request && request.contentVisible === false) {
    return (
      <Typography variant="body2" color="text.secondary">
        (hidden: only the admin and compliance roles can read content)
      </Typography>
    );
  }
  if (!content) {
    return (
      <Typography variant="body2" color="text.secondary">
        (not stored)
      </Typography>
    );
  }
  return (
    <Box
      component="pre"
      sx={{ m: 0, p: 1.5, bgcolor: 'action.hover', borderRadius: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
    >
      {content}
    </Box>
  );
}

function RequestTitle() {
  const request = useRecordContext<RequestRecord>();
  return <span>Request {request ? request.id : ''}</span>;
}

export function RequestShow() {
  return (
    <Show title={<RequestTitle />}>
      <Grid container>
        <Grid size={{ xs: 12, md: 4 }}>
          <SimpleShowLayout>
            <TextField source="id" />
            <DateField source="timestamp" showTime />
            <TextField source="team" />
            <TextField source="user" />
            <TextField source="model" />
            <TextField source="provider" />
            <NodeLinkField label="Node" />
            <TextField source="location" emptyText="—" />
            <TextField source="operation" />
            <TextField source="decisionId" label="Decision" emptyText="— (no policy decision)" />
            <TextField source="piiAction" label="Personal data" emptyText="—" />
          </SimpleShowLayout>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <SimpleShowLayout>
            <NumberField source="inputTokens" />
            <NumberField source="outputTokens" />
            <NumberField source="cachedInputTokens" />
            <NumberField source="latencyMs" label="Latency (ms)" />
            <NumberField source="ttftMs" label="Time to first token (ms)" emptyText="—" />
            <StatusField label="Status" />
            <TextField source="errorType" emptyText="—" />
          </SimpleShowLayout>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <SimpleShowLayout>
            <CostField label="Cost" />
            <TextField source="costNanoUsd" label="Cost (nano-USD)" emptyText="—" />
            <BooleanField source="priceKnown" />
            <ArrayField source="metadata">
              <DataTable bulkActionButtons={false} empty={<Typography variant="body2">—</Typography>}>
                <DataTable.Col source="key" disableSort />
                <DataTable.Col source="value" disableSort />
              </DataTable>
            </ArrayField>
          </SimpleShowLayout>
        </Grid>
      </Grid>
      <SimpleShowLayout>
        <ContentField source="prompt" label="Prompt" />
        <ContentField source="completion" label="Completion" />
      </SimpleShowLayout>
    </Show>
  );
}
