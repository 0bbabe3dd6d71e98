import { Box, Card, CardContent, Typography } from '@mui/material';

function curlExample(origin: string): string {
  const score = { requestId: 'req-123', team: 'search', name: 'hhem-2.1', value: 0.31, evaluator: 'hhem-2.1', source: 'eval' };
  return [
    `curl -X POST ${origin}/api/v1/ingest/scores \\`,
    `  -H "Authorization: Bearer $WARDEN_INGEST_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify([score], null, 2)}'`,
  ].join('\n');
}

/** No scored request in the period: how scores get here (REST, or gen_ai.evaluation.result events over OTLP). */
export function EmptyEvaluationsState({ requests }: { requests: number }) {
  return (
    <Card data-testid="evaluations-empty">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {requests > 0 ? `None of the ${requests.toLocaleString('en-US')} requests in this period has a score yet` : 'No requests in this period'}
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Send evaluation scores (HHEM, RAGAS, DeepEval, an LLM judge…) to POST /api/v1/ingest/scores, or as
          gen_ai.evaluation.result span events to the OTLP endpoint /v1/traces. For example:
        </Typography>
        <Box component="pre" sx={{ p: 2, bgcolor: 'action.hover', borderRadius: 1, overflowX: 'auto', fontSize: 13, whiteSpace: 'pre' }}>
          {curlExample(window.location.origin)}
        </Box>
      </CardContent>
    </Card>
  );
}
