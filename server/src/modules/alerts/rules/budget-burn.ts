import type { Observation } from './alert-transitions';

/** One monthly USD budget (a costUsd quota of a policy) and what was spent against it so far in its period. */
export interface BudgetReading {
  policy: string;
  quota: string;
  /** 'org' or 'team', and the team ('' for the organisation). */
  scopeKind: 'org' | 'team';
  team: string;
  limitNanoUsd: bigint;
  spentNanoUsd: bigint;
  periodStart: Date;
  periodEnd: Date;
}

export interface BudgetBurnParams {
  thresholds: number[];
  projectedOverrun: boolean;
  projectionMinElapsedHours: number;
}

const hourMs = 3600_000;

/** Percent of the budget spent, exactly in integers until the final division. */
export function percentOfBudget(spentNanoUsd: bigint, limitNanoUsd: bigint): number {
  if (limitNanoUsd <= 0n) return spentNanoUsd > 0n ? Infinity : 0;
  // Basis points of a percent (1/10000 %), then one float division: exact to far below what anyone reads.
  return Number((spentNanoUsd * 1_000_000n) / limitNanoUsd) / 10_000;
}

/**
 * Where the period ends up at the current rate: spend so far over the elapsed part of the period, times the whole
 * period. Null before `minElapsedHours` (an early hour's spend says little about a month) or outside the period.
 */
export function projectedSpendNanoUsd(reading: BudgetReading, now: Date, minElapsedHours: number): bigint | null {
  const start = reading.periodStart.getTime();
  const end = reading.periodEnd.getTime();
  const elapsed = now.getTime() - start;
  if (elapsed <= 0 || now.getTime() >= end || elapsed < minElapsedHours * hourMs) return null;
  return (reading.spentNanoUsd * BigInt(end - start)) / BigInt(elapsed);
}

function usd(nanoUsd: bigint): string {
  const cents = nanoUsd / 10_000_000n;
  return `$${(cents / 100n).toString()}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * The observations of one budget: one per threshold (50/80/100 % by default), each its own alert so 50 % and 80 %
 * are each notified once per period, and the projected overrun (projected spend over the budget while actual spend
 * is still under it). Labels carry the period, so a new month starts clean and the old month's alerts resolve.
 */
export function budgetObservations(reading: BudgetReading, params: BudgetBurnParams, now: Date): Observation[] {
  const percent = percentOfBudget(reading.spentNanoUsd, reading.limitNanoUsd);
  const base = {
    ...(reading.scopeKind === 'team' ? { team: reading.team } : { scope: 'org' }),
    policy: reading.policy,
    quota: reading.quota,
    period: reading.periodStart.toISOString(),
  };
  const who = reading.scopeKind === 'team' ? `Team ${reading.team}` : 'The organisation';
  const observations: Observation[] = params.thresholds.map((threshold) => ({
    labels: { ...base, threshold: String(threshold) },
    value: percent,
    threshold,
    holds: percent >= threshold,
    summary: `${who} spent ${usd(reading.spentNanoUsd)} of ${usd(reading.limitNanoUsd)} (${percent.toFixed(1)}%) on ${reading.policy}/${reading.quota}: at or over ${threshold}%`,
  }));
  if (params.projectedOverrun) {
    const projected = projectedSpendNanoUsd(reading, now, params.projectionMinElapsedHours);
    if (projected !== null) {
      const projectedPercent = percentOfBudget(projected, reading.limitNanoUsd);
      observations.push({
        labels: { ...base, threshold: 'projected' },
        value: projectedPercent,
        threshold: 100,
        holds: projectedPercent > 100 && reading.spentNanoUsd < reading.limitNanoUsd,
        summary: `${who} is on course to spend ${usd(projected)} against ${usd(reading.limitNanoUsd)} (${projectedPercent.toFixed(1)}%) on ${reading.policy}/${reading.quota} by ${reading.periodEnd.toISOString()}`,
      });
    }
  }
  return observations;
}
