import { afterAll, beforeAll, expect, it } from 'vitest';
import { DecisionService } from '../../../../server/src/modules/policies/decision.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { call, createScopedKey, unique } from './policy-test-support';

interface Allowed {
  allowed: true;
  decisionId: string;
  reservationId: string;
  policies: Array<{ name: string; version: number }>;
  pii: { action: string; text?: string; findings: unknown[] };
}
interface Refused {
  allowed: false;
  reason: string;
  message: string;
  retryAfterSeconds?: number;
  policy: { name: string; version: number };
}
type Answer = Allowed | Refused;

/**
 * 500 concurrent POST /api/v1/authorize over HTTP against a budget of N: exactly N admitted, every decision stored
 * once in ClickHouse (rows and the hourly rollup). `overrides` chooses the counters (REDIS_URL or none).
 */
export function authorizeConcurrencyOverHttp(expectedDriver: 'redis' | 'in-process', overrides: Record<string, string>): void {
  let testApp: TestApp;
  let key: { id: string; secret: string };

  beforeAll(async () => {
    testApp = await startTestApp(overrides);
    key = await createScopedKey(testApp, 'authorize');
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it(`admits exactly N of 500 concurrent requests (${expectedDriver} counters) and records each decision once`, async () => {
    expect(testApp.engines.counters.driver).toBe(expectedDriver);
    const team = unique('claims');
    const policy = unique('budget');
    const budget = 37;
    const written = await call(testApp, 'PUT', `/api/v1/policies/${policy}`, testApp.sessionToken, {
      name: policy,
      scope: { team },
      models: { allow: ['gpt-4o*'] },
      quotas: [
        { name: 'monthly', metric: 'costUsd', limit: `0.${budget}`, period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'hard' },
        { name: 'rpm', metric: 'requests', limit: 100_000, period: 'minute' },
      ],
    });
    expect(written.body).toEqual({ name: policy, version: 1 });

    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        call<Answer>(testApp, 'POST', '/api/v1/authorize', key.secret, { team, user: `user-${index % 7}`, model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 500, estimatedCostUsd: '0.01' }),
      ),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    const admitted = answers.map((answer) => answer.body).filter((answer): answer is Allowed => answer.allowed);
    expect(admitted).toHaveLength(budget);
    const refusal = answers.map((answer) => answer.body).find((answer): answer is Refused => !answer.allowed)!;
    expect(refusal).toEqual({ allowed: false, reason: 'insufficient_quota', message: expect.stringContaining('monthly') as string, policy: { name: policy, version: 1 } });
    expect(admitted[0]).toEqual({
      allowed: true,
      decisionId: expect.any(String) as string,
      reservationId: expect.any(String) as string,
      policies: [{ name: policy, version: 1 }],
      pii: { action: 'allow', findings: [] },
    });

    // Settling at a fifth of the estimate frees exactly the difference: 37 × 0.008 USD more room, 29 more requests.
    const settled = await Promise.all(admitted.map((answer) => call(testApp, 'POST', '/api/v1/usage', key.secret, { reservationId: answer.reservationId, inputTokens: 200, outputTokens: 100, costUsd: '0.002' })));
    expect(settled.map((answer) => answer.body)).toEqual(admitted.map(() => ({ reservation: 'settled', counted: true })));
    const again = await call(testApp, 'POST', '/api/v1/usage', key.secret, { reservationId: admitted[0].reservationId, inputTokens: 200, outputTokens: 100, costUsd: '0.002' });
    expect(again.body).toEqual({ reservation: 'already_settled', counted: false });
    const more = await Promise.all(
      Array.from({ length: 60 }, () => call<Answer>(testApp, 'POST', '/api/v1/authorize', key.secret, { team, model: 'gpt-4o', inputTokens: 10, estimatedCostUsd: '0.01' })),
    );
    // (0.37 − 37 × 0.002) / 0.01 = 29.6 → 29.
    expect(more.filter((answer) => answer.body.allowed)).toHaveLength(29);

    await testApp.engines.writer.flush();
    const database = testApp.engines.config.clickhouse.database;
    const rows = await testApp.engines.clickhouse.query({
      query: `SELECT count() AS rows, uniqExact(decision_id) AS decisions, countIf(allowed) AS admitted, countIf(reason = 'insufficient_quota') AS refused,
                     uniqExact(reservation_id) - 1 AS reservations, anyIf(policy_version, allowed) AS version
              FROM ${database}.policy_decisions WHERE team = {team:String}`,
      query_params: { team },
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([{ rows: '560', decisions: '560', admitted: '66', refused: '494', reservations: '66', version: 1 }]);
    const hourly = await testApp.engines.clickhouse.query({
      query: `SELECT reason, sum(decisions) AS total, sum(allowed) AS admitted FROM ${database}.policy_decisions_hourly WHERE team = {team:String} GROUP BY reason ORDER BY reason`,
      query_params: { team },
      format: 'JSONEachRow',
    });
    expect(await hourly.json()).toEqual([
      { reason: '', total: '66', admitted: '66' },
      { reason: 'insufficient_quota', total: '494', admitted: '0' },
    ]);
    const ids = new Set(admitted.map((answer) => answer.decisionId));
    const stored = await testApp.engines.clickhouse.query({
      query: `SELECT decision_id FROM ${database}.policy_decisions WHERE team = {team:String} AND allowed AND api_key_id = {key:String} AND policy_name = {policy:String}`,
      query_params: { team, key: key.id, policy },
      format: 'JSONCompactEachRow',
    });
    const storedIds = new Set((await stored.json<[string]>()).map(([id]) => id));
    for (const id of ids) expect(storedIds.has(id)).toBe(true);
  });

  it(`keeps no reservation record once the gateway settled or released its own (${expectedDriver} counters); a token's stays for a repeated settle`, async () => {
    const team = unique('gateway-team');
    const policy = unique('tokens');
    const written = await call(testApp, 'PUT', `/api/v1/policies/${policy}`, testApp.sessionToken, {
      name: policy,
      scope: { team },
      quotas: [{ name: 'daily', metric: 'tokens', limit: 1_000_000, period: 'day', enforcement: 'hard' }],
    });
    expect(written.status).toBe(200);
    const decisions = testApp.app.get(DecisionService);
    const counters = testApp.engines.counters;
    const request = { team, model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 100 };

    // The gateway's way: the reservation stays in its memory and is settled (or released) here, once.
    const settledHere = await decisions.authorizeRequest(request, { source: 'gateway', settlesHere: true });
    const released = await decisions.authorizeRequest(request, { source: 'gateway', settlesHere: true });
    await decisions.settleReservation(settledHere.reservation!, { inputTokens: 100, outputTokens: 20 });
    await decisions.releaseReservation(released.reservation!);
    expect((await counters.settle(settledHere.reservation!.counterReservationId, { tokens: 1n })).status).toBe('unknown');
    expect(await counters.release(released.reservation!.counterReservationId)).toBe('unknown');

    // A token handed to a caller may be sent again: its record answers `already_settled` for the settle window.
    const viaToken = await decisions.authorizeRequest(request, { source: 'http' });
    const token = viaToken.answer.allowed ? viaToken.answer.reservationId : '';
    expect(await decisions.settle({ reservationId: token, inputTokens: 100, outputTokens: 20 })).toEqual({ reservation: 'settled', counted: true });
    expect(await decisions.settle({ reservationId: token, inputTokens: 100, outputTokens: 20 })).toEqual({ reservation: 'already_settled', counted: false });
  });
}
