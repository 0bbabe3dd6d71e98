import { postEvents, type TestApp } from '../../../support/test-app';

export async function postScores(testApp: TestApp, body: string | unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/scores`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.ingestKey}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ScoreAnswer };
}

export interface ScoreAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: Array<{ index: number; id?: string; status: string; errors?: Array<{ field: string; message: string }> }>;
  error?: { code: string; message: string };
}

export interface RateRow {
  team: string | null;
  model: string | null;
  node: string | null;
  day: string | null;
  evaluator: string | null;
  requests: number;
  scored: number;
  hallucinated: number;
  rate: number | null;
}

export async function hallucinationRate(testApp: TestApp, from: string, to: string, groupBy: string[], filter: Record<string, string> = {}): Promise<RateRow[]> {
  const answer = await testApp.graphql<{ hallucinationRate: RateRow[] }>(
    `query Rate($from: DateTime!, $to: DateTime!, $groupBy: [HallucinationDimension!]!, $filter: EvaluationFilter) {
       hallucinationRate(from: $from, to: $to, groupBy: $groupBy, filter: $filter) { team model node day evaluator requests scored hallucinated rate }
     }`,
    { from, to, groupBy, filter },
  );
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data!.hallucinationRate;
}

/** A request event at a fixed minute of 2026-03-02 (UTC). */
export function requestEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    timestamp: '2026-03-02T10:00:00Z',
    team: 'support',
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 100,
    outputTokens: 20,
    ...overrides,
  };
}

export { postEvents };
