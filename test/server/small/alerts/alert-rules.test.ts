import { describe, expect, it } from 'vitest';
import { validateAlertParams } from '../../../../server/src/modules/alerts/rules/alert-kinds';
import { labelsKeyOf, planTransitions, type Observation, type OpenAlert } from '../../../../server/src/modules/alerts/rules/alert-transitions';
import { budgetObservations, percentOfBudget, projectedSpendNanoUsd, type BudgetReading } from '../../../../server/src/modules/alerts/rules/budget-burn';
import { nextAttemptAfterFailure, retryDelayMs } from '../../../../server/src/modules/alerts/delivery/retry-schedule';

const usd = (dollars: number) => BigInt(Math.round(dollars * 100)) * 10_000_000n;

describe('alert params per kind', () => {
  it('fills in the defaults of the kind', () => {
    expect(validateAlertParams('budget_burn', undefined)).toEqual({ params: { thresholds: [50, 80, 100], projectedOverrun: true, projectionMinElapsedHours: 24 } });
    expect(validateAlertParams('policy_deny_spike', { threshold: 5 })).toEqual({ params: { windowMinutes: 15, threshold: 5, reason: null } });
  });

  it('names each bad field: unknown keys, wrong types, out of range', () => {
    const result = validateAlertParams('hallucination_rate', { threshold: 0, windowMinutes: 2.5, minScored: 'ten', colour: 'red' });
    expect('problems' in result && result.problems.map((problem) => problem.field).sort()).toEqual(['params.colour', 'params.minScored', 'params.threshold', 'params.windowMinutes']);
    expect(validateAlertParams('budget_burn', { thresholds: [] })).toEqual({ problems: [{ field: 'params.thresholds', message: 'must be a list of 1 to 10 percentages' }] });
    expect(validateAlertParams('policy_deny_spike', { reason: 'because' })).toMatchObject({ problems: [{ field: 'params.reason' }] });
    expect(validateAlertParams('gpu_hot', [1])).toEqual({ problems: [{ field: 'params', message: 'must be a JSON object' }] });
  });

  it('sorts and de-duplicates budget thresholds', () => {
    expect(validateAlertParams('budget_burn', { thresholds: [100, 50, 50, 90] })).toMatchObject({ params: { thresholds: [50, 90, 100] } });
  });
});

describe('the de-duplication state machine', () => {
  const observation = (node: string, holds: boolean, value = 1): Observation => ({ labels: { node }, value, threshold: 0, holds, summary: node });
  const open = (node: string, id = `alert-${node}`): OpenAlert => ({ id, labelsKey: labelsKeyOf({ node }) });

  it('fires once when a condition starts to hold', () => {
    const plan = planTransitions([], [observation('a', true), observation('b', false)]);
    expect(plan.fire.map((fire) => fire.labels)).toEqual([{ node: 'a' }]);
    expect(plan.resolve).toEqual([]);
  });

  it('stays silent while it holds, and resolves once when it clears', () => {
    const holding = planTransitions([open('a')], [observation('a', true, 7)]);
    expect(holding.fire).toEqual([]);
    expect(holding.resolve).toEqual([]);
    expect(holding.stillFiring.map((entry) => entry.observation.value)).toEqual([7]);
    const cleared = planTransitions([open('a')], [observation('a', false)]);
    expect(cleared.resolve).toEqual([open('a')]);
    expect(cleared.fire).toEqual([]);
  });

  it('resolves an alert whose labels are no longer observed at all', () => {
    expect(planTransitions([open('gone')], []).resolve).toEqual([open('gone')]);
  });

  it('treats label order as irrelevant and keeps the larger of two readings of the same labels', () => {
    expect(labelsKeyOf({ a: '1', b: '2' })).toBe(labelsKeyOf({ b: '2', a: '1' }));
    const plan = planTransitions([], [observation('a', true, 3), observation('a', true, 9)]);
    expect(plan.fire.map((fire) => fire.value)).toEqual([9]);
  });
});

describe('budget burn', () => {
  // A frozen clock: 10 days into a 30-day period (November 2026, UTC).
  const periodStart = new Date('2026-11-01T00:00:00Z');
  const periodEnd = new Date('2026-12-01T00:00:00Z');
  const now = new Date('2026-11-11T00:00:00Z');
  const reading = (spentUsd: number): BudgetReading => ({
    policy: 'team-search',
    quota: 'monthly',
    scopeKind: 'team',
    team: 'search',
    limitNanoUsd: usd(1000),
    spentNanoUsd: usd(spentUsd),
    periodStart,
    periodEnd,
  });
  const params = { thresholds: [50, 80, 100], projectedOverrun: true, projectionMinElapsedHours: 24 };

  it('computes the percent of the budget exactly', () => {
    expect(percentOfBudget(usd(500), usd(1000))).toBe(50);
    expect(percentOfBudget(usd(0.01), usd(3))).toBeCloseTo(0.3333, 4);
    expect(percentOfBudget(usd(1), 0n)).toBe(Infinity);
  });

  it('holds each threshold reached, one alert per threshold', () => {
    const holding = (spent: number) => budgetObservations(reading(spent), { ...params, projectedOverrun: false }, now).filter((item) => item.holds).map((item) => item.labels.threshold);
    expect(holding(499.99)).toEqual([]);
    expect(holding(500)).toEqual(['50']);
    expect(holding(850)).toEqual(['50', '80']);
    expect(holding(1000)).toEqual(['50', '80', '100']);
  });

  it('labels each alert with the team, policy, quota and period, so a new month starts clean', () => {
    const [first] = budgetObservations(reading(600), params, now);
    expect(first.labels).toEqual({ team: 'search', policy: 'team-search', quota: 'monthly', period: '2026-11-01T00:00:00.000Z', threshold: '50' });
  });

  it('projects the overrun from the burn rate with a frozen clock', () => {
    // $400 in 10 of 30 days → $1200 by the end of the month: 120 % of the budget.
    expect(projectedSpendNanoUsd(reading(400), now, 24)).toBe(usd(1200));
    const projected = budgetObservations(reading(400), params, now).find((item) => item.labels.threshold === 'projected')!;
    expect(projected).toMatchObject({ holds: true, value: 120, threshold: 100 });
    // $300 in 10 days → $900: on course, nothing projected over.
    expect(budgetObservations(reading(300), params, now).find((item) => item.labels.threshold === 'projected')!.holds).toBe(false);
  });

  it('does not project before the minimum elapsed time, nor once the budget is already spent', () => {
    const early = new Date('2026-11-01T12:00:00Z');
    expect(projectedSpendNanoUsd(reading(100), early, 24)).toBeNull();
    expect(budgetObservations(reading(100), params, early).some((item) => item.labels.threshold === 'projected')).toBe(false);
    expect(budgetObservations(reading(1000), params, now).find((item) => item.labels.threshold === 'projected')!.holds).toBe(false);
  });
});

describe('delivery retries', () => {
  const schedule = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(schedule, attempt))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('gives up once the attempts are spent', () => {
    const now = new Date('2026-11-11T00:00:00Z');
    expect(nextAttemptAfterFailure(schedule, 1, now)).toEqual(new Date('2026-11-11T00:00:01Z'));
    expect(nextAttemptAfterFailure(schedule, 3, now)).toEqual(new Date('2026-11-11T00:00:04Z'));
    expect(nextAttemptAfterFailure(schedule, 4, now)).toBeNull();
  });
});
