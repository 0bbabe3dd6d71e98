import type { CounterReading, QuotaCounters, ReserveOutcome } from '../../../engine/counters/quota-counters';
import { formatNanoUsd } from '../../../engine/money/exact-decimal';
import type { QuotaMetric, VersionedPolicy } from '../document/policy-document';
import { actionStrictness, type PiiAction, type PiiDetector } from '../pii/pii-detectors';
import { combinePii } from './combine-pii';
import { decideModel } from './combine-models';
import type {
  Admission,
  Decision,
  DecisionRequest,
  PendingAdmission,
  PolicyReference,
  QuotaDemand,
  QuotaStanding,
  Refusal,
  RefusalReason,
  StaticDecision,
} from './decision-types';
import { quotaDemands } from './quota-demands';
import { applicablePolicies, referenceOf } from './scope-selection';

/** How long a reservation holds its room before it lapses (a generation can stream for minutes). */
export const DEFAULT_HOLD_MS = 10 * 60_000;

function refusal(reason: RefusalReason, message: string, policy: PolicyReference, retryAfterSeconds?: number): Refusal {
  return retryAfterSeconds === undefined ? { allowed: false, reason, message, policy } : { allowed: false, reason, message, retryAfterSeconds, policy };
}

/**
 * Step one of a decision, pure: which policies apply, whether the model may be used (and served by the node),
 * whether the text's personal data is blocked or must stay on premises, and which quota counters the request must
 * fit in. Quota room is step two (`completeDecision` with the counters' answer, or `authorize` for both).
 */
export function decide(policies: readonly VersionedPolicy[], request: DecisionRequest): StaticDecision {
  const applicable = applicablePolicies(policies, request);
  const model = decideModel(applicable, request.model);
  if (!model.allowed) return refusal('model_not_allowed', model.message, referenceOf(model.policy));

  const pii = combinePii(applicable);
  const findings = [...(request.findings ?? [])];
  const blocked = [...new Set(findings.filter((finding) => pii.actions[finding.detector] === 'block').map((finding) => finding.detector))];
  if (blocked.length > 0) {
    const source = pii.sources[blocked[0]]!;
    return refusal(
      'content_policy_violation',
      `the text contains personal data (${blocked.join(', ')}) that policy "${source.document.name}" blocks`,
      referenceOf(source),
    );
  }
  let action: PiiAction = 'allow';
  let protectedDetectors: PiiDetector[] = [];
  for (const finding of findings) {
    const findingAction = pii.actions[finding.detector] ?? 'allow';
    if (actionStrictness(findingAction) > actionStrictness(action)) action = findingAction;
    if (findingAction !== 'allow') protectedDetectors.push(finding.detector);
  }
  protectedDetectors = [...new Set(protectedDetectors)];
  const onPremisesOnly = pii.keepOnPremises && protectedDetectors.length > 0;
  if (onPremisesOnly && request.node && request.node.location !== 'on-premises') {
    const source = pii.keepOnPremisesSource!;
    const where = request.node.location === 'external' ? 'is external' : 'has no known location';
    return refusal(
      'on_premises_required',
      `policy "${source.document.name}" keeps personal data (${protectedDetectors.join(', ')}) on premises; node "${request.node.name}" ${where}`,
      referenceOf(source),
    );
  }
  return {
    allowed: true,
    policies: applicable.map(referenceOf),
    pii: { action, findings, onPremisesOnly },
    quotaDemands: quotaDemands(applicable, request),
  };
}

/** Step two: the counters' answer to reserving `pending.quotaDemands` (same order) makes the final decision. */
export function completeDecision(pending: PendingAdmission, outcome: ReserveOutcome, at: Date | number): Decision {
  const now = typeof at === 'number' ? at : at.getTime();
  if (!outcome.admitted) {
    return quotaRefusal(pending.quotaDemands[outcome.refusedIndex], outcome.readings[outcome.refusedIndex], now);
  }
  const quotas = pending.quotaDemands.map((demand, index) => standingOf(demand, outcome.readings[index]));
  const admission: Admission = {
    allowed: true,
    reservationId: outcome.reservationId,
    policies: pending.policies,
    pii: pending.pii,
    quotas,
    softExceeded: outcome.softOverLimit.map((index) => quotas[index]),
  };
  return admission;
}

/** Both steps: decide, then reserve every quota demand atomically on the counters. */
export async function authorize(
  policies: readonly VersionedPolicy[],
  request: DecisionRequest,
  counters: QuotaCounters,
  options: { holdMs?: number } = {},
): Promise<Decision> {
  const first = decide(policies, request);
  if (!first.allowed) return first;
  const outcome = await counters.reserve(
    first.quotaDemands.map((demand) => demand.counter),
    { holdMs: options.holdMs ?? DEFAULT_HOLD_MS },
  );
  return completeDecision(first, outcome, request.at);
}

function standingOf(demand: QuotaDemand, reading: CounterReading): QuotaStanding {
  return {
    policy: demand.policy,
    quota: demand.quota.name,
    metric: demand.quota.metric,
    period: demand.quota.period,
    enforcement: demand.quota.enforcement,
    limit: reading.limit,
    remaining: reading.remaining,
    resetsAt: demand.periodEnd,
  };
}

function formatAmount(metric: QuotaMetric, amount: bigint): string {
  if (metric === 'costUsd') return `${formatNanoUsd(amount)} USD`;
  return `${amount} ${metric}`;
}

/**
 * Minute and hour quotas are rate limits (retry after the period ends); day and month quotas, and any request
 * larger than a quota's whole limit, are spent quota (retrying soon will not help).
 */
function quotaRefusal(demand: QuotaDemand, reading: CounterReading, now: number): Refusal {
  const { quota, counter } = demand;
  const where = `quota "${quota.name}" of policy "${demand.policy.name}" (${quota.metric} per ${quota.period}, ${quota.timeZone})`;
  if (counter.amount > counter.limit) {
    return refusal(
      'insufficient_quota',
      `this request needs up to ${formatAmount(quota.metric, counter.amount)}, more than the whole limit of ${where}: ${formatAmount(quota.metric, counter.limit)}`,
      demand.policy,
    );
  }
  const state = `${formatAmount(quota.metric, reading.used + reading.held)} of ${formatAmount(quota.metric, reading.limit)} used or held`;
  const needs = counter.amount > 0n ? `, this request needs up to ${formatAmount(quota.metric, counter.amount)}` : '';
  if (quota.period === 'minute' || quota.period === 'hour') {
    const retryAfterSeconds = Math.max(1, Math.ceil((demand.periodEnd.getTime() - now) / 1000));
    return refusal('rate_limit_exceeded', `rate limit reached: ${where}: ${state}${needs}; retry in ${retryAfterSeconds} s`, demand.policy, retryAfterSeconds);
  }
  return refusal('insufficient_quota', `quota spent: ${where}: ${state}${needs}; it resets at ${demand.periodEnd.toISOString()}`, demand.policy);
}

/**
 * The tightest remaining amount per metric and when it resets, for `x-ratelimit-remaining-requests` /
 * `-tokens` (and cost) headers. Hard quotas only; negative amounts read as 0.
 */
export function remainingByMetric(quotas: readonly QuotaStanding[]): Partial<Record<QuotaMetric, { limit: bigint; remaining: bigint; resetsAt: Date }>> {
  const tightest: Partial<Record<QuotaMetric, { limit: bigint; remaining: bigint; resetsAt: Date }>> = {};
  for (const quota of quotas) {
    if (quota.enforcement !== 'hard') continue;
    const remaining = quota.remaining < 0n ? 0n : quota.remaining;
    const current = tightest[quota.metric];
    if (!current || remaining < current.remaining) tightest[quota.metric] = { limit: quota.limit, remaining, resetsAt: quota.resetsAt };
  }
  return tightest;
}
