/** A row of ClickHouse `requests` as written (JSONEachRow): snake_case columns, Int64 money as a string. */
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
}

/** Column order for compact inserts; the compiler keeps it in step with RequestRow. */
export const requestColumns: [keyof RequestRow, ...Array<keyof RequestRow>] = [
  'id', 'timestamp', 'team', 'user', 'provider', 'node', 'model', 'operation', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'latency_ms', 'ttft_ms', 'status', 'error_type', 'cost_nano_usd', 'cost_source', 'prompt',
  'completion', 'metadata', 'retention_days', 'ingested_at',
];
