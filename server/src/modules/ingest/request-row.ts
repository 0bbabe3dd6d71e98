import { teamIdKey } from '../../engine/clickhouse/team-id-keys';

/**
 * A row of ClickHouse `requests` as written (JSONCompactEachRow in `requestColumns` order): snake_case columns,
 * Int64 money as a decimal string.
 */
export interface RequestRow {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  operation: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: string;
  error_type: string;
  cost_nano_usd: string | null;
  cost_source: string;
  prompt: string;
  completion: string;
  metadata: Record<string, string>;
  retention_days: number;
  ingested_at: string;
  /** 1 for a re-priced version of a stored request: the rollup adds cost_nano_usd − previous_cost_nano_usd. */
  is_revision: number;
  previous_cost_nano_usd: string | null;
  api_key_id: string;
  /** How the request reached Warden: api (ingest), otlp, gateway. */
  source: string;
  trace_id: string;
  span_id: string;
  response_id: string;
  decision_id: string;
  /** on-premises | external, where the node is known. */
  location: string;
  /** How many findings of each personal-data detector the content had (counts, never values). */
  pii_findings: Record<string, number>;
  pii_action: string;
  /** Days prompt and completion are kept (a column TTL empties them after); 0: as long as the row. */
  content_retention_days: number;
}

/** Column order for compact inserts; the compiler keeps it in step with RequestRow. */
export const requestColumns: [keyof RequestRow, ...Array<keyof RequestRow>] = [
  'id', 'timestamp', 'team', 'user', 'provider', 'node', 'model', 'operation', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'latency_ms', 'ttft_ms', 'status', 'error_type', 'cost_nano_usd', 'cost_source', 'prompt',
  'completion', 'metadata', 'retention_days', 'ingested_at', 'is_revision', 'previous_cost_nano_usd', 'api_key_id',
  'source', 'trace_id', 'span_id', 'response_id', 'decision_id', 'location', 'pii_findings', 'pii_action',
  'content_retention_days',
];

/** One row as a JSONCompactEachRow line, written field by field (the ingest hot path). */
export function serializeRequestRow(row: RequestRow): string {
  const text = JSON.stringify;
  return (
    `[${text(row.id)},${text(row.timestamp)},${text(row.team)},${text(row.user)},${text(row.provider)},${text(row.node)},` +
    `${text(row.model)},${text(row.operation)},${row.input_tokens},${row.output_tokens},${row.cached_input_tokens},` +
    `${row.latency_ms},${row.ttft_ms === null ? 'null' : row.ttft_ms},${text(row.status)},${text(row.error_type)},` +
    `${row.cost_nano_usd === null ? 'null' : text(row.cost_nano_usd)},${text(row.cost_source)},${text(row.prompt)},` +
    `${text(row.completion)},${text(row.metadata)},${row.retention_days},${text(row.ingested_at)},${row.is_revision},` +
    `${row.previous_cost_nano_usd === null ? 'null' : text(row.previous_cost_nano_usd)},${text(row.api_key_id)},` +
    `${text(row.source)},${text(row.trace_id)},${text(row.span_id)},${text(row.response_id)},${text(row.decision_id)},` +
    `${text(row.location)},${text(row.pii_findings)},${text(row.pii_action)},${row.content_retention_days}]`
  );
}

/** The identity of a request: ids are unique per team, so two teams may both send "req-1". */
export function requestKey(team: string, id: string): string {
  return teamIdKey(team, id);
}
