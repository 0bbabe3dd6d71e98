import { describe, expect, it } from 'vitest';
import { monthOf, monthlyUsdQuotasOf } from '../../../../server/src/modules/policies/decisions/monthly-usd-quotas';
import { ReservationTokens } from '../../../../server/src/modules/policies/decisions/reservation-token';
import { readAuthorizeInput, readRedactInput, readSettleInput } from '../../../../server/src/modules/policies/dto/decision-inputs';
import { parsePolicyDocument } from '../../../../server/src/modules/policies/document';
import { DomainError } from '../../../../server/src/engine/errors/domain-error';

const problemsOf = (read: () => unknown): string[] => {
  try {
    read();
  } catch (error) {
    if (error instanceof DomainError) return (error.details as { problems: Array<{ field: string }> }).problems.map((problem) => problem.field).sort();
    throw error;
  }
  throw new Error('accepted');
};

describe('reservation ids', () => {
  const tokens = new ReservationTokens(Buffer.from('a key of some length for the test'));
  const context = { counterReservationId: 'c-1', decisionId: 'd-1', team: 'claims', keyId: 'k-1', model: 'gpt-4o', node: 'gpu-1', at: Date.UTC(2026, 0, 31, 16) };

  it('carry the request back, signed', () => {
    expect(tokens.read(tokens.issue(context))).toEqual(context);
    const withoutOptional = { counterReservationId: '', decisionId: 'd-2', model: 'm', at: 5 };
    expect(tokens.read(tokens.issue(withoutOptional))).toEqual(withoutOptional);
  });

  it('are refused when altered, foreign or malformed', () => {
    const token = tokens.issue(context);
    const [payload, signature] = token.slice(4).split('.');
    const forged = Buffer.from(JSON.stringify([1, 'c-1', 'd-1', 'other-team', 'k-1', 'gpt-4o', 'gpu-1', context.at])).toString('base64url');
    expect(tokens.read(`rsv_${forged}.${signature}`)).toBeNull();
    expect(tokens.read(new ReservationTokens(Buffer.from('another key')).issue(context))).toBeNull();
    for (const bad of ['', 'rsv_', `rsv_${payload}`, `rsv_${payload}.${signature}.x`, token.slice(4), 'x'.repeat(5000)]) expect(tokens.read(bad)).toBeNull();
  });
});

describe('decision inputs', () => {
  it('names every bad field of an authorize body at once', () => {
    expect(problemsOf(() => readAuthorizeInput({ team: 5, model: '', inputTokens: 1.5, maxOutputTokens: -1, estimatedCostUsd: '-1', text: {}, extra: 1 }))).toEqual([
      'estimatedCostUsd',
      'extra',
      'inputTokens',
      'maxOutputTokens',
      'model',
      'team',
      'text',
    ]);
    expect(readAuthorizeInput({ team: 't', model: 'm', inputTokens: 3, estimatedCostUsd: 0.1, user: null })).toEqual({ team: 't', model: 'm', inputTokens: 3, estimatedCostUsd: '0.1' });
    expect(problemsOf(() => readAuthorizeInput([]))).toEqual(['']);
  });

  it('reads usage and redaction bodies', () => {
    expect(readSettleInput({ reservationId: 'r', inputTokens: 0, outputTokens: 2, costUsd: '1.5e-5' })).toEqual({ reservationId: 'r', inputTokens: 0, outputTokens: 2, costUsd: '0.000015' });
    expect(problemsOf(() => readSettleInput({ inputTokens: 'x' }))).toEqual(['inputTokens', 'outputTokens', 'reservationId']);
    expect(readRedactInput({ text: '' })).toEqual({ text: '' });
    expect(problemsOf(() => readRedactInput({ policyId: 3 }))).toEqual(['policyId', 'text']);
  });
});

describe('monthly USD budgets', () => {
  it('reads a month and bounds it in each quota\'s time zone, org and team policies only', () => {
    expect(() => monthOf('2026-13')).toThrow(DomainError);
    const policies = [
      { version: 2, document: parsePolicyDocument({ name: 'org', scope: { org: true }, quotas: [{ name: 'all', metric: 'costUsd', limit: '10000', period: 'month' }] }) },
      {
        version: 4,
        document: parsePolicyDocument({
          name: 'claims',
          scope: { team: 'claims' },
          quotas: [
            { name: 'budget', metric: 'costUsd', limit: '500.00', period: 'month', timeZone: 'America/New_York', enforcement: 'soft' },
            { name: 'daily', metric: 'costUsd', limit: '50', period: 'day' },
            { name: 'tokens', metric: 'tokens', limit: 5, period: 'month' },
          ],
        }),
      },
      { version: 1, document: parsePolicyDocument({ name: 'key', scope: { key: 'k' }, quotas: [{ name: 'k', metric: 'costUsd', limit: '1', period: 'month' }] }) },
    ];
    const quotas = monthlyUsdQuotasOf(policies, 'claims', '2026-03');
    expect(quotas.map((quota) => [quota.policy.name, quota.quota, quota.limitNanoUsd, quota.periodStart.toISOString(), quota.periodEnd.toISOString()])).toEqual([
      ['org', 'all', 10_000_000_000_000n, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      // New York moves to daylight time on 8 March: the month starts at UTC−5 and ends at UTC−4.
      ['claims', 'budget', 500_000_000_000n, '2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z'],
    ]);
  });
});
