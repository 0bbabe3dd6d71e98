import type { CounterItem } from '../../../engine/counters/quota-counters';
import { scopeKind, scopeSubject, type PolicyQuota, type PolicyScope, type QuotaMetric, type VersionedPolicy } from '../document/policy-document';
import { quotaLimitAmount } from '../document/quota-limit';
import { quotaPeriodBounds } from '../periods/quota-period';
import type { DecisionRequest, QuotaDemand } from './decision-types';
import { matchesAnyModelGlob } from './model-glob';
import { referenceOf } from './scope-selection';

/**
 * The counter of one quota in one period. The period's start is in the key, so a new period is a new counter
 * (roll-over is atomic); the policy version is not, so editing a limit keeps the usage counted so far; the metric,
 * period and zone are, so changing what a quota counts starts a fresh counter instead of mixing units.
 */
export function quotaCounterKey(policyName: string, scope: PolicyScope, quota: PolicyQuota, periodStart: Date): string {
  const subject = encodeURIComponent(scopeSubject(scope));
  return `${policyName}/${quota.name}/${scopeKind(scope)}:${subject}/${quota.metric}/${quota.period}/${quota.timeZone}/${periodStart.getTime()}`;
}

/** The request's estimate in a metric's counter unit: 1 request, its tokens, its cost in nano-USD. */
export function estimateFor(metric: QuotaMetric, request: Pick<DecisionRequest, 'estimatedTokens' | 'estimatedCostNanoUsd'>): bigint {
  if (metric === 'requests') return 1n;
  if (metric === 'tokens') return request.estimatedTokens;
  return request.estimatedCostNanoUsd ?? 0n;
}

/** What a finished request used, by counter unit, for `QuotaCounters.settle`. Cost left out when unknown. */
export function usageFigures(usage: { inputTokens: number | bigint; outputTokens: number | bigint; costNanoUsd?: bigint }): Partial<Record<QuotaMetric, bigint>> {
  const tokens = BigInt(usage.inputTokens) + BigInt(usage.outputTokens);
  return usage.costNanoUsd === undefined ? { requests: 1n, tokens } : { requests: 1n, tokens, costUsd: usage.costNanoUsd };
}

/** Every quota of every applicable policy whose `models` (if any) match the request's model. */
export function quotaDemands(applicable: readonly VersionedPolicy[], request: DecisionRequest): QuotaDemand[] {
  const at = typeof request.at === 'number' ? request.at : request.at.getTime();
  const demands: QuotaDemand[] = [];
  for (const policy of applicable) {
    for (const quota of policy.document.quotas) {
      if (quota.models && !matchesAnyModelGlob(request.model, quota.models)) continue;
      const { start, end } = quotaPeriodBounds(quota.period, quota.timeZone, at);
      const counter: CounterItem = {
        key: quotaCounterKey(policy.document.name, policy.document.scope, quota, start),
        limit: quotaLimitAmount(quota),
        amount: estimateFor(quota.metric, request),
        enforcement: quota.enforcement,
        unit: quota.metric,
        expiresAt: end.getTime(),
      };
      demands.push({ policy: referenceOf(policy), scope: policy.document.scope, quota, periodStart: start, periodEnd: end, counter });
    }
  }
  return demands;
}
