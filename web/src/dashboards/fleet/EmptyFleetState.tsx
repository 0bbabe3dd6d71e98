import { Box, Card, CardContent, Typography } from '@mui/material';

function exporterCommand(origin: string): string {
  return [
    'node collectors/bin/warden-gpu-exporter.js \\',
    `  --push-url ${origin}/api/v1/ingest/gpu \\`,
    '  --ingest-key <key>',
  ].join('\n');
}

/** No GPU has reported in the last 24 hours (or none matches the filter). */
export function EmptyFleetState({ filtered }: { filtered: boolean }) {
  return (
    <Card data-testid="fleet-empty">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {filtered ? 'No GPU matches this filter' : 'No GPU has reported in the last 24 hours'}
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Run the GPU exporter on each inference node (it reads nvidia-smi and pushes a sample every 15 s), with the
          ingest key printed when the server first started:
        </Typography>
        <Box
          component="pre"
          sx={{ p: 2, bgcolor: 'action.hover', borderRadius: 1, overflowX: 'auto', fontSize: 13, whiteSpace: 'pre' }}
        >
          {exporterCommand(window.location.origin)}
        </Box>
        <Typography variant="body2" color="text.secondary">
          Build it first with <code>npm run build -w collectors</code>; add <code>--node-name</code> when the host name
          is not the node's name in Warden.
        </Typography>
      </CardContent>
    </Card>
  );
}
