import { Box, Card, CardContent, Typography } from '@mui/material';

function curlExample(origin: string): string {
  const event = {
    team: 'search',
    user: 'alice@example.com',
    provider: 'openai',
    node: 'api.openai.com',
    model: 'gpt-4o-mini',
    operation: 'chat',
    inputTokens: 1200,
    outputTokens: 300,
    latencyMs: 850,
    status: 'ok',
  };
  return [
    `curl -X POST ${origin}/api/v1/ingest/requests \\`,
    `  -H "Authorization: Bearer $WARDEN_INGEST_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify([event], null, 2)}'`,
  ].join('\n');
}

export function EmptySpendState() {
  return (
    <Card data-testid="spend-empty">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          No requests in this period — send events to POST /api/v1/ingest/requests
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          For example, with the ingest key printed when the server first started:
        </Typography>
        <Box
          component="pre"
          sx={{ p: 2, bgcolor: 'action.hover', borderRadius: 1, overflowX: 'auto', fontSize: 13, whiteSpace: 'pre' }}
        >
          {curlExample(window.location.origin)}
        </Box>
      </CardContent>
    </Card>
  );
}
