import { parseExactDecimal, shiftDecimal } from '../../../engine/money/exact-decimal';
import type { PolicyQuota, QuotaMetric } from './policy-document';

/** Far beyond any real budget, and still exact in the Redis counters' two-limb arithmetic (< 10^30). */
export const MAX_QUOTA_AMOUNT = 10n ** 24n;

/**
 * A quota's limit in the counters' integer unit: requests and tokens as counts, costUsd in nano-USD. Answers a
 * reason string when the decimal cannot be one exactly (a fractional token, a fraction of a nano-dollar).
 */
export function quotaLimitFromDecimal(metric: QuotaMetric, limit: string): bigint | string {
  const decimal = metric === 'costUsd' ? shiftDecimal(parseExactDecimal(limit), 9) : parseExactDecimal(limit);
  let units = decimal.units;
  let scale = decimal.scale;
  // Trailing fraction zeros are not precision: "500.00" is 500.
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  if (scale > 0) return metric === 'costUsd' ? 'must not be finer than a nano-dollar (9 decimals)' : `must be a whole number of ${metric}`;
  if (units > MAX_QUOTA_AMOUNT) return `must be at most ${MAX_QUOTA_AMOUNT} ${metric === 'costUsd' ? 'nano-USD' : metric}`;
  return units;
}

/** Limits already read, per quota object: a policy's quotas are read once per decision each, and never change. */
const limitsRead = new WeakMap<object, { metric: QuotaMetric; limit: string; amount: bigint }>();

/** The limit of a validated quota in counter units (nano-USD for costUsd). */
export function quotaLimitAmount(quota: Pick<PolicyQuota, 'metric' | 'limit'>): bigint {
  const known = limitsRead.get(quota);
  if (known && known.metric === quota.metric && known.limit === quota.limit) return known.amount;
  const amount = quotaLimitFromDecimal(quota.metric, quota.limit);
  if (typeof amount === 'string') throw new RangeError(`quota limit ${quota.limit}: ${amount}`);
  limitsRead.set(quota, { metric: quota.metric, limit: quota.limit, amount });
  return amount;
}
