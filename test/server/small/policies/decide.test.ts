import { describe, expect, it } from 'vitest';
import { InProcessQuotaCounters } from '../../../../server/src/engine/counters';
import { parsePolicyDocument, type VersionedPolicy } from '../../../../server/src/modules/policies/document';
import { redact } from '../../../../server/src/modules/policies/pii';
import {
  authorize,
  combinePii,
  completeDecision,
  decide,
  effectiveGpuRetentionDays,
  effectiveRetention,
  remainingByMetric,
  type DecisionRequest,
  type PendingAdmission,
} from '../../../../server/src/modules/policies/rules';

const AT = new Date('2026-01-31T16:30:20.000Z');

function policy(document: Record<string, unknown>, version = 1): VersionedPolicy {
  return { document: parsePolicyDocument(document), version };
}

function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return { team: 'claims', keyId: 'key-1', model: 'gpt-4o-mini', estimatedTokens: 1000n, at: AT, ...overrides };
}

const org = (extra: Record<string, unknown> = {}) => policy({ name: 'org', scope: { org: true }, ...extra });
const team = (extra: Record<string, unknown> = {}, name = 'claims') => policy({ name, scope: { team: 'claims' }, ...extra });

describe('models', () => {
  it('deny wins over allow and allowAll; matching ignores case', () => {
    const policies = [team({ models: { allowAll: true, allow: ['gpt-4o-preview'], deny: ['*-preview'] } })];
    expect(decide(policies, request({ model: 'gpt-4o' })).allowed).toBe(true);
    expect(decide(policies, request({ model: 'GPT-4O-PREVIEW' }))).toEqual({
      allowed: false,
      reason: 'model_not_allowed',
      message: 'model "GPT-4O-PREVIEW" is not allowed by policy "claims"',
      policy: { name: 'claims', version: 1 },
    });
  });

  it('an empty allow list with allowAll false allows nothing', () => {
    expect(decide([team({ models: { allowAll: false, allow: [] } })], request()).allowed).toBe(false);
    expect(decide([team({ models: {} })], request()).allowed).toBe(false);
  });

  it('without any models section every model is allowed', () => {
    expect(decide([org(), team()], request({ model: 'anything' })).allowed).toBe(true);
  });

  it('the most specific scope with a models section decides: key over team over org', () => {
    const orgOnlyLlama = org({ models: { allow: ['llama-3.*'] } });
    const teamGpt = team({ models: { allow: ['gpt-4o*'] } });
    const keyClaude = policy({ name: 'key-1', scope: { key: 'key-1' }, models: { allow: ['claude-*'] } });
    expect(decide([orgOnlyLlama], request()).allowed).toBe(false);
    expect(decide([orgOnlyLlama, teamGpt], request()).allowed).toBe(true);
    expect(decide([orgOnlyLlama, teamGpt], request({ model: 'llama-3.1-8b' })).allowed).toBe(false);
    expect(decide([orgOnlyLlama, teamGpt, keyClaude], request()).allowed).toBe(false);
    expect(decide([orgOnlyLlama, teamGpt, keyClaude], request({ model: 'claude-sonnet-4' })).allowed).toBe(true);
    // Another key's policy does not apply.
    expect(decide([orgOnlyLlama, teamGpt, keyClaude], request({ keyId: 'key-2' })).allowed).toBe(true);
    // A team section without models leaves the decision to the org.
    expect(decide([orgOnlyLlama, team({ pii: { detectors: { email: 'mask' } } })], request()).allowed).toBe(false);
  });

  it('several policies at the deciding scope must all allow', () => {
    const second = policy({ name: 'claims-extra', scope: { team: 'claims' }, models: { allow: ['gpt-4o'] } });
    const decision = decide([team({ models: { allow: ['gpt-4o*'] } }), second], request());
    expect(decision).toMatchObject({ allowed: false, policy: { name: 'claims-extra' } });
  });

  it("a node's policy further limits what it serves", () => {
    const node = policy({ name: 'gpu-01', scope: { node: 'gpu-01' }, models: { allow: ['llama-*'] } }, 4);
    const policies = [team({ models: { allow: ['gpt-4o*', 'llama-*'] } }), node];
    expect(decide(policies, request({ node: { name: 'gpu-01', location: 'on-premises' } }))).toEqual({
      allowed: false,
      reason: 'model_not_allowed',
      message: 'node "gpu-01" may not serve model "gpt-4o-mini" (policy "gpu-01")',
      policy: { name: 'gpu-01', version: 4 },
    });
    expect(decide(policies, request({ model: 'llama-3', node: { name: 'gpu-01', location: 'on-premises' } })).allowed).toBe(true);
    expect(decide(policies, request({ node: { name: 'gpu-02', location: 'on-premises' } })).allowed).toBe(true);
  });
});

describe('personal data', () => {
  const text = 'Customer 11010519491231002X, mail li.si@example.com';

  it('the strictest action of any scope wins, and a block refuses naming its policy', () => {
    const policies = [org({ pii: { detectors: { cn_resident_id: 'mask', email: 'mask' } } }), team({ pii: { detectors: { cn_resident_id: 'block' } } }, 'claims-pii')];
    const combined = combinePii(policies);
    expect(combined.actions).toEqual({ cn_resident_id: 'block', email: 'mask' });
    const { findings } = redact(text, combined.actions);
    expect(decide(policies, request({ findings }))).toEqual({
      allowed: false,
      reason: 'content_policy_violation',
      message: 'the text contains personal data (cn_resident_id) that policy "claims-pii" blocks',
      policy: { name: 'claims-pii', version: 1 },
    });
  });

  it('masks when masking is the strictest action and reports it', () => {
    const policies = [org({ pii: { detectors: { email: 'hash', cn_resident_id: 'allow' } } }), team({ pii: { detectors: { email: 'mask' } } })];
    const { findings } = redact(text, combinePii(policies).actions);
    const decision = decide(policies, request({ findings }));
    expect(decision).toMatchObject({ allowed: true, pii: { action: 'mask', onPremisesOnly: false } });
  });

  it('keepOnPremises: personal data may go to an on-premises node only', () => {
    const policies = [org({ pii: { detectors: { email: 'mask' }, keepOnPremises: true } }), team()];
    const { findings } = redact(text, combinePii(policies).actions);
    expect(decide(policies, request({ findings, node: { name: 'openai', location: 'external' } }))).toEqual({
      allowed: false,
      reason: 'on_premises_required',
      message: 'policy "org" keeps personal data (email) on premises; node "openai" is external',
      policy: { name: 'org', version: 1 },
    });
    expect(decide(policies, request({ findings, node: { name: 'mystery' } }))).toMatchObject({ reason: 'on_premises_required' });
    expect(decide(policies, request({ findings, node: { name: 'gpu-01', location: 'on-premises' } }))).toMatchObject({ allowed: true });
    // No node chosen yet: allowed, and the gateway is told to route on premises.
    expect(decide(policies, request({ findings }))).toMatchObject({ allowed: true, pii: { onPremisesOnly: true } });
    // Nothing personal in the text: any node.
    expect(decide(policies, request({ findings: [], node: { name: 'openai', location: 'external' } })).allowed).toBe(true);
  });

  it('findings of a detector set to allow do not keep a request on premises', () => {
    const policies = [org({ pii: { detectors: { email: 'allow' }, keepOnPremises: true } })];
    const { findings } = redact('mail li.si@example.com', combinePii(policies).actions);
    expect(findings).toHaveLength(1);
    expect(decide(policies, request({ findings, node: { name: 'openai', location: 'external' } })).allowed).toBe(true);
  });
});

describe('quotas', () => {
  const quotaPolicies = () => [
    org({ quotas: [{ name: 'org-rpm', metric: 'requests', limit: 600, period: 'minute' }] }),
    team({
      quotas: [
        { name: 'monthly', metric: 'costUsd', limit: '500.00', period: 'month', timeZone: 'Asia/Shanghai', models: ['gpt-4o*'] },
        { name: 'daily-tokens', metric: 'tokens', limit: 100000, period: 'day', enforcement: 'soft' },
        { name: 'llama-only', metric: 'requests', limit: 10, period: 'hour', models: ['llama-*'] },
      ],
    }),
    policy({ name: 'gpu-01', scope: { node: 'gpu-01' }, quotas: [{ name: 'node-tpm', metric: 'tokens', limit: 50000, period: 'minute' }] }),
    policy({ name: 'other-team', scope: { team: 'legal' }, quotas: [{ name: 'x', metric: 'requests', limit: 1, period: 'day' }] }),
  ];

  it('demands every quota of every applicable scope whose models match, each on its own period counter', () => {
    const decision = decide(quotaPolicies(), request({ estimatedCostNanoUsd: 2_500_000n, node: { name: 'gpu-01', location: 'on-premises' } }));
    if (!decision.allowed) throw new Error(decision.message);
    expect(decision.policies).toEqual([
      { name: 'org', version: 1 },
      { name: 'claims', version: 1 },
      { name: 'gpu-01', version: 1 },
    ]);
    expect(decision.quotaDemands.map((demand) => [demand.counter.key, demand.counter.limit, demand.counter.amount, demand.counter.enforcement])).toEqual([
      ['org/org-rpm/org:/requests/minute/UTC/1769877000000', 600n, 1n, 'hard'],
      // 16:30Z on 31 January is already February in Shanghai: the month began at 2026-01-31T16:00Z.
      ['claims/monthly/team:claims/costUsd/month/Asia/Shanghai/1769875200000', 500_000_000_000n, 2_500_000n, 'hard'],
      ['claims/daily-tokens/team:claims/tokens/day/UTC/1769817600000', 100_000n, 1000n, 'soft'],
      ['gpu-01/node-tpm/node:gpu-01/tokens/minute/UTC/1769877000000', 50_000n, 1000n, 'hard'],
    ]);
    expect(decision.quotaDemands[1].periodEnd.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  function pendingWith(policies: VersionedPolicy[], overrides: Partial<DecisionRequest> = {}): PendingAdmission {
    const decision = decide(policies, request(overrides));
    if (!decision.allowed) throw new Error(decision.message);
    return decision;
  }

  it('a spent minute or hour quota is a rate limit with retryAfterSeconds; a spent month is insufficient quota', () => {
    const pending = pendingWith(quotaPolicies(), { estimatedCostNanoUsd: 2_500_000n });
    const readings = pending.quotaDemands.map((demand) => ({ key: demand.counter.key, limit: demand.counter.limit, used: 0n, held: 0n, remaining: demand.counter.limit }));
    expect(completeDecision(pending, { admitted: false, refusedIndex: 0, readings: [{ ...readings[0], used: 600n, remaining: 0n }, ...readings.slice(1)] }, AT)).toEqual({
      allowed: false,
      reason: 'rate_limit_exceeded',
      message: 'rate limit reached: quota "org-rpm" of policy "org" (requests per minute, UTC): 600 requests of 600 requests used or held, this request needs up to 1 requests; retry in 40 s',
      retryAfterSeconds: 40,
      policy: { name: 'org', version: 1 },
    });
    const spent = { ...readings[1], used: 499_999_000_000n, held: 0n, remaining: 1_000_000n };
    expect(completeDecision(pending, { admitted: false, refusedIndex: 1, readings: [readings[0], spent, ...readings.slice(2)] }, AT)).toEqual({
      allowed: false,
      reason: 'insufficient_quota',
      message:
        'quota spent: quota "monthly" of policy "claims" (costUsd per month, Asia/Shanghai): 499.999 USD of 500 USD used or held, this request needs up to 0.0025 USD; it resets at 2026-02-28T16:00:00.000Z',
      policy: { name: 'claims', version: 1 },
    });
  });

  it('a request larger than a whole limit is insufficient quota, not a rate limit', () => {
    const pending = pendingWith([team({ quotas: [{ name: 'tpm', metric: 'tokens', limit: 500, period: 'minute' }] })]);
    const [demand] = pending.quotaDemands;
    const decision = completeDecision(pending, { admitted: false, refusedIndex: 0, readings: [{ key: demand.counter.key, limit: 500n, used: 0n, held: 0n, remaining: 500n }] }, AT);
    expect(decision).toMatchObject({ allowed: false, reason: 'insufficient_quota' });
    expect(decision.allowed || decision.retryAfterSeconds).toBeUndefined();
  });

  it('authorize reserves every demand and answers standings for rate-limit headers', async () => {
    const counters = new InProcessQuotaCounters({ now: () => AT.getTime() });
    const policies = [team({ quotas: [{ name: 'rpm', metric: 'requests', limit: 2, period: 'minute' }, { name: 'soft-tpm', metric: 'tokens', limit: 1500, period: 'minute', enforcement: 'soft' }] })];
    const first = await authorize(policies, request(), counters);
    expect(first).toMatchObject({ allowed: true, reservationId: expect.any(String), softExceeded: [] });
    const second = await authorize(policies, request(), counters);
    if (!second.allowed) throw new Error(second.message);
    expect(second.softExceeded.map((quota) => [quota.quota, quota.remaining])).toEqual([['soft-tpm', -500n]]);
    expect(remainingByMetric(second.quotas)).toEqual({ requests: { limit: 2n, remaining: 0n, resetsAt: new Date('2026-01-31T16:31:00.000Z') } });
    expect(await authorize(policies, request(), counters)).toMatchObject({ allowed: false, reason: 'rate_limit_exceeded', retryAfterSeconds: 40 });
  });
});

describe('retention', () => {
  it('comes field by field from the most specific scope, never under the floor, content never beyond its row', () => {
    const policies = [
      org({ retention: { requestsDays: 400, contentDays: 90, scoresDays: 365, gpuDays: 30 } }),
      team({ retention: { requestsDays: 200, contentDays: 300 } }),
      policy({ name: 'node', scope: { node: 'gpu-01' }, retention: { gpuDays: 14 } }),
    ];
    expect(effectiveRetention(policies, 180)).toEqual({ requestsDays: 200, contentDays: 200, scoresDays: 365 });
    // A floor raised after the policies were written still holds.
    expect(effectiveRetention(policies, 250)).toEqual({ requestsDays: 250, contentDays: 250, scoresDays: 365 });
    expect(effectiveRetention([], 180)).toEqual({});
    expect(effectiveGpuRetentionDays(policies)).toBe(14);
    expect(effectiveGpuRetentionDays(policies.slice(0, 2))).toBe(30);
  });
});
