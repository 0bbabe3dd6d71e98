import { describe, expect, it } from 'vitest';
import { clickhouseTime } from '../../../../server/src/engine/clickhouse/clickhouse-time';
import { requestColumns, serializeRequestRow, type RequestRow } from '../../../../server/src/modules/ingest/request-row';
import { policyDecisionColumns, serializePolicyDecisionRow, type PolicyDecisionRow } from '../../../../server/src/modules/policies/decisions/policy-decision-row';

// The serializers write each row field by field, for speed; the insert names the columns from the lists. These
// checks keep the two in the same order: a row whose every field is distinct must come out as the list reads it.

describe('JSONCompactEachRow lines', () => {
  it('a request row is written in requestColumns order', () => {
    const row: RequestRow = {
      id: 'id-1', timestamp: '2026-11-30 10:00:00.001', team: 'team-a', user: 'user-b', provider: 'openai', node: 'node-c', model: 'model-d',
      operation: 'chat', input_tokens: 11, output_tokens: 12, cached_input_tokens: 13, latency_ms: 14, ttft_ms: 15, status: 'ok',
      error_type: 'none', cost_nano_usd: '16', cost_source: 'catalog', prompt: 'a "prompt"\n', completion: 'completion \u00e9', metadata: { k: 'v' },
      retention_days: 17, ingested_at: '2026-11-30 10:00:01.002', is_revision: 1, previous_cost_nano_usd: '18', api_key_id: 'key-e',
      source: 'gateway', trace_id: 'trace-f', span_id: 'span-g', response_id: 'resp-h', decision_id: 'dec-i', location: 'on-premises',
      pii_findings: { email: 19 }, pii_action: 'mask', content_retention_days: 20,
    };
    expect(JSON.parse(serializeRequestRow(row))).toEqual(requestColumns.map((column) => row[column]));
    const withNulls = { ...row, ttft_ms: null, cost_nano_usd: null, previous_cost_nano_usd: null };
    expect(JSON.parse(serializeRequestRow(withNulls))).toEqual(requestColumns.map((column) => withNulls[column]));
    expect(requestColumns).toHaveLength(Object.keys(row).length);
  });

  it('a policy decision row is written in policyDecisionColumns order', () => {
    const row: PolicyDecisionRow = {
      time: '2026-11-30 10:00:00.001', decision_id: 'dec-1', api_key_id: 'key-2', team: 'team-3', user: 'user-4', model: 'model-5', node: 'node-6',
      allowed: false, reason: 'model_not_allowed', message: 'not "allowed"', policy_name: 'policy-7', policy_version: 8, policy_names: ['org', 'team'],
      policy_versions: [9, 10], reservation_id: 'res-11', estimated_tokens: '12', estimated_cost_nano_usd: '13', pii_action: 'mask',
      pii_findings: { email: 14 }, soft_quotas_exceeded: ['policy-7/q'], source: 'gateway', retention_days: 15, recorded_at: '2026-11-30 10:00:00.016',
    };
    expect(JSON.parse(serializePolicyDecisionRow(row))).toEqual(policyDecisionColumns.map((column) => row[column]));
    expect(policyDecisionColumns).toHaveLength(Object.keys(row).length);
  });
});

describe('clickhouseTime', () => {
  it('writes UTC with milliseconds, also for instants in one second and around its edges', () => {
    const base = Date.UTC(2026, 10, 30, 23, 59, 59);
    for (const offset of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, -1, -1000]) {
      const date = new Date(base + offset);
      expect(clickhouseTime(date)).toBe(date.toISOString().slice(0, 23).replace('T', ' '));
    }
    expect(clickhouseTime(new Date(-1))).toBe('1969-12-31 23:59:59.999');
    expect(clickhouseTime(new Date(0))).toBe('1970-01-01 00:00:00.000');
    expect(() => clickhouseTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
