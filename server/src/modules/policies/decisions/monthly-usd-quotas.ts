import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';
import { quotaLimitAmount, type VersionedPolicy } from '../document';
import { quotaPeriodBounds } from '../periods';
import { applicablePolicies, referenceOf } from '../rules';
import type { MonthlyUsdQuota } from './decision-answers';

/** A calendar month, `YYYY-MM`: an instant inside it in every time zone, and when it ends at the latest (UTC). */
export function monthOf(month: string): { inside: number; endsBy: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new DomainError(ErrorCode.Validation, `month must be YYYY-MM, got ${JSON.stringify(month)}`, { problems: [{ field: 'month', message: 'must be YYYY-MM' }] });
  }
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  // Noon on the 15th in UTC lies inside the month in every time zone.
  return { inside: Date.UTC(year, index, 15, 12), endsBy: Date.UTC(year, index + 1, 1) };
}

/** Every monthly costUsd quota of the organisation's and the team's policies, with the month's bounds in its zone. */
export function monthlyUsdQuotasOf(policies: readonly VersionedPolicy[], team: string, month: string): MonthlyUsdQuota[] {
  const { inside } = monthOf(month);
  const quotas: MonthlyUsdQuota[] = [];
  for (const policy of applicablePolicies(policies, { team })) {
    const scope = policy.document.scope;
    if (!('org' in scope) && !('team' in scope)) continue;
    for (const quota of policy.document.quotas) {
      if (quota.metric !== 'costUsd' || quota.period !== 'month') continue;
      const bounds = quotaPeriodBounds('month', quota.timeZone, inside);
      quotas.push({
        policy: referenceOf(policy),
        scope: 'org' in scope ? { kind: 'org', subject: '' } : { kind: 'team', subject: scope.team },
        quota: quota.name,
        limitUsd: quota.limit,
        limitNanoUsd: quotaLimitAmount(quota),
        enforcement: quota.enforcement,
        timeZone: quota.timeZone,
        periodStart: bounds.start,
        periodEnd: bounds.end,
        ...(quota.models ? { models: [...quota.models] } : {}),
      });
    }
  }
  return quotas;
}
