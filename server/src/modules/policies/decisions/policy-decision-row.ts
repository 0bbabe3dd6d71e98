/**
 * A row of ClickHouse `policy_decisions` as written (JSONCompactEachRow in `policyDecisionColumns` order): one
 * decision, with counts of the personal data found, never the values.
 */
export interface PolicyDecisionRow {
  time: string;
  decision_id: string;
  api_key_id: string;
  team: string;
  user: string;
  model: string;
  node: string;
  allowed: boolean;
  reason: string;
  message: string;
  policy_name: string;
  policy_version: number;
  policy_names: string[];
  policy_versions: number[];
  reservation_id: string;
  /** UInt64 as decimal text. */
  estimated_tokens: string;
  /** Int64 nano-USD as decimal text; null when no price was known. */
  estimated_cost_nano_usd: string | null;
  pii_action: string;
  pii_findings: Record<string, number>;
  soft_quotas_exceeded: string[];
  source: string;
  retention_days: number;
  recorded_at: string;
}

export const policyDecisionColumns: [keyof PolicyDecisionRow, ...Array<keyof PolicyDecisionRow>] = [
  'time', 'decision_id', 'api_key_id', 'team', 'user', 'model', 'node', 'allowed', 'reason', 'message', 'policy_name',
  'policy_version', 'policy_names', 'policy_versions', 'reservation_id', 'estimated_tokens', 'estimated_cost_nano_usd',
  'pii_action', 'pii_findings', 'soft_quotas_exceeded', 'source', 'retention_days', 'recorded_at',
];

export function serializePolicyDecisionRow(row: PolicyDecisionRow): string {
  return JSON.stringify(policyDecisionColumns.map((column) => row[column]));
}
