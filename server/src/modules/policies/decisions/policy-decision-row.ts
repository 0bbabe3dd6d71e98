import { clickhouseTime } from '../../../engine/clickhouse/clickhouse-time';
import type { VersionedPolicy } from '../document';
import type { RedactResult } from '../pii';
import { referenceOf, type Decision, type DecisionRequest } from '../rules';
import type { DecisionSource } from './decision-answers';

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

/**
 * One row as a JSONCompactEachRow line, in `policyDecisionColumns` order. Field by field: reading a row through a
 * list of column names is a megamorphic lookup per field, and every gateway request writes a decision.
 */
export function serializePolicyDecisionRow(row: PolicyDecisionRow): string {
  return JSON.stringify([
    row.time, row.decision_id, row.api_key_id, row.team, row.user, row.model, row.node, row.allowed, row.reason,
    row.message, row.policy_name, row.policy_version, row.policy_names, row.policy_versions, row.reservation_id,
    row.estimated_tokens, row.estimated_cost_nano_usd, row.pii_action, row.pii_findings, row.soft_quotas_exceeded,
    row.source, row.retention_days, row.recorded_at,
  ]);
}

/** What one decision's row is made of. */
export interface DecisionFacts {
  decisionId: string;
  decision: Decision;
  request: DecisionRequest;
  applicable: readonly VersionedPolicy[];
  redaction?: RedactResult;
  reservationId?: string;
  user?: string;
  keyId?: string;
  source: DecisionSource;
  retentionDays: number;
  recordedAt: Date;
}

/** The row: the deciding policy (for an admission, the most specific applicable one), counts of findings, never values. */
export function policyDecisionRow(facts: DecisionFacts): PolicyDecisionRow {
  const { decision, request, applicable, redaction } = facts;
  const at = typeof request.at === 'number' ? new Date(request.at) : request.at;
  const deciding = decision.allowed ? (applicable.length > 0 ? referenceOf(applicable[applicable.length - 1]) : { name: '', version: 0 }) : decision.policy;
  const piiAction = decision.allowed ? decision.pii.action : decision.reason === 'content_policy_violation' ? 'block' : (redaction?.action ?? 'allow');
  return {
    time: clickhouseTime(at),
    decision_id: facts.decisionId,
    api_key_id: facts.keyId ?? '',
    team: request.team ?? '',
    user: facts.user ?? '',
    model: request.model,
    node: request.node?.name ?? '',
    allowed: decision.allowed,
    reason: decision.allowed ? '' : decision.reason,
    message: decision.allowed ? '' : decision.message,
    policy_name: deciding.name,
    policy_version: deciding.version,
    policy_names: applicable.map((policy) => policy.document.name),
    policy_versions: applicable.map((policy) => policy.version),
    reservation_id: facts.reservationId ?? '',
    estimated_tokens: request.estimatedTokens.toString(),
    estimated_cost_nano_usd: request.estimatedCostNanoUsd === undefined ? null : request.estimatedCostNanoUsd.toString(),
    pii_action: piiAction,
    pii_findings: { ...(redaction?.counts ?? {}) } as Record<string, number>,
    soft_quotas_exceeded: decision.allowed ? decision.softExceeded.map((quota) => `${quota.policy.name}/${quota.quota}`) : [],
    source: facts.source,
    retention_days: Math.min(facts.retentionDays, 65_535),
    recorded_at: clickhouseTime(facts.recordedAt),
  };
}
