import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerivedKeys } from '../../../../server/src/engine/auth/derived-keys';
import { CONFIG } from '../../../../server/src/engine/engine.module';
import type { WardenConfig } from '../../../../server/src/engine/config/config';
import { RedisQuotaCounters } from '../../../../server/src/engine/counters';
import { NodeService } from '../../../../server/src/modules/nodes/nodes.service';
import { DecisionService } from '../../../../server/src/modules/policies/decision.service';
import { NodeLocations } from '../../../../server/src/modules/policies/decisions/node-locations';
import { PoliciesService } from '../../../../server/src/modules/policies/policies.service';
import { PolicyDecisionsRepository } from '../../../../server/src/modules/policies/policy-decisions.repository';
import { PolicySnapshot } from '../../../../server/src/modules/policies/policy-snapshot';
import { PricingService } from '../../../../server/src/modules/pricing/pricing.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { call, createScopedKey, unique } from './policy-test-support';

type Answer = Record<string, unknown> & { allowed: boolean };

// Holds lapse after one second here, so a caller that dies is seen to leak nothing within the test.
describe('decisions over HTTP: rules, reservations, usage, redaction', () => {
  let testApp: TestApp;
  let key: string;
  let admin: string;

  const put = async (document: Record<string, unknown> & { name: string }) => {
    const answer = await call(testApp, 'PUT', `/api/v1/policies/${document.name}`, admin, document);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { name: string; version: number };
  };
  const authorize = async (body: Record<string, unknown>) => {
    const answer = await call<Answer>(testApp, 'POST', '/api/v1/authorize', key, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const usage = (body: Record<string, unknown>) => call(testApp, 'POST', '/api/v1/usage', key, body);

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_QUOTA_HOLD_SECONDS: '1' });
    key = (await createScopedKey(testApp, 'authorize')).secret;
    admin = testApp.sessionToken;
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('refuses a model the most specific policy does not allow, deny winning over allow', async () => {
    const team = unique('models');
    await put({ name: unique('org'), scope: { org: true }, models: { allowAll: true, deny: ['*-preview'] } });
    const teamPolicy = await put({ name: unique('team'), scope: { team }, models: { allow: ['gpt-4o*', 'llama-3.*'], deny: ['gpt-4o-audio*'] } });
    expect(await authorize({ team, model: 'llama-3.1-70b', inputTokens: 10 })).toMatchObject({ allowed: true });
    expect(await authorize({ team, model: 'gpt-4o-audio-preview', inputTokens: 10 })).toEqual({
      allowed: false,
      reason: 'model_not_allowed',
      message: expect.stringContaining('gpt-4o-audio-preview') as string,
      policy: teamPolicy,
    });
    // Another team has no models section of its own: the organisation's decides.
    expect(await authorize({ team: unique('other'), model: 'mistral-large', inputTokens: 10 })).toMatchObject({ allowed: true });
    expect(await authorize({ team: unique('other'), model: 'o3-preview', inputTokens: 10 })).toMatchObject({ allowed: false, reason: 'model_not_allowed' });
    const nothing = unique('nothing');
    await put({ name: nothing, scope: { team: nothing }, models: { allowAll: false, allow: [] } });
    expect(await authorize({ team: nothing, model: 'gpt-4o', inputTokens: 1 })).toMatchObject({ allowed: false, reason: 'model_not_allowed' });
  });

  it('masks, blocks and keeps personal data on premises as the strictest policy says', async () => {
    const team = unique('pii');
    const policy = await put({
      name: unique('pii'),
      scope: { team },
      pii: { detectors: { email: 'mask', phone: 'hash', cn_resident_id: 'block' }, keepOnPremises: true },
    });
    const text = 'Write to alice@example.com or +86 138 0013 8000, then alice@example.com again.';
    const masked = await authorize({ team, model: 'llama-3', inputTokens: 20, text });
    expect(masked).toMatchObject({ allowed: true, policies: expect.arrayContaining([policy]) as unknown });
    const pii = masked.pii as { action: string; text: string; findings: Array<{ detector: string; start: number; end: number }> };
    expect(pii.action).toBe('mask');
    expect(pii.text).toMatch(/^Write to \[EMAIL_1\] or \[PHONE:[0-9a-f]{16}\], then \[EMAIL_1\] again\.$/);
    expect(pii.findings.map((finding) => [finding.detector, text.slice(finding.start, finding.end)])).toEqual([
      ['email', 'alice@example.com'],
      ['phone', '+86 138 0013 8000'],
      ['email', 'alice@example.com'],
    ]);
    expect(await authorize({ team, model: 'llama-3', inputTokens: 20, text: '身份证 11010519491231002X 请核对' })).toEqual({
      allowed: false,
      reason: 'content_policy_violation',
      message: expect.stringContaining('cn_resident_id') as string,
      policy,
    });
    // A node no registry knows (or external) may not receive it; a node registered on premises may.
    await testApp.app.get(NodeService).create({ name: 'gpu-basement', kind: 'vllm', labels: { location: 'on-premises' }, notes: '', hourlyCostUsd: '1', energyPriceUsdPerKwh: '0.1', powerOverheadFactor: '1.2' });
    expect(await authorize({ team, model: 'llama-3', inputTokens: 20, node: 'cloud-1', text })).toMatchObject({ allowed: false, reason: 'on_premises_required', policy });
    expect(await authorize({ team, model: 'llama-3', inputTokens: 20, node: 'gpu-basement', text })).toMatchObject({ allowed: true });
    expect(await authorize({ team, model: 'llama-3', inputTokens: 20, node: 'cloud-1', text: 'nothing personal' })).toMatchObject({ allowed: true, pii: { action: 'allow', text: 'nothing personal', findings: [] } });
  });

  it('answers rate_limit_exceeded with retryAfterSeconds for hourly quotas', async () => {
    const team = unique('rate');
    const policy = await put({ name: unique('rate'), scope: { team }, quotas: [{ name: 'per-hour', metric: 'requests', limit: 2, period: 'hour' }] });
    expect((await authorize({ team, model: 'm', inputTokens: 1 })).allowed).toBe(true);
    expect((await authorize({ team, model: 'm', inputTokens: 1 })).allowed).toBe(true);
    const refused = await authorize({ team, model: 'm', inputTokens: 1 });
    expect(refused).toMatchObject({ allowed: false, reason: 'rate_limit_exceeded', policy });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("lets a killed caller's reservation lapse, and counts usage reported after it lapsed", async () => {
    const team = unique('expiry');
    await put({
      name: unique('expiry'),
      scope: { team },
      quotas: [
        { name: 'one-a-day', metric: 'requests', limit: 1, period: 'day', models: ['solo'] },
        { name: 'tokens', metric: 'tokens', limit: 1000, period: 'day' },
      ],
    });
    // The caller that took the only request dies without reporting: its hold lapses and the next one gets in.
    expect((await authorize({ team, model: 'solo', inputTokens: 1 })).allowed).toBe(true);
    expect(await authorize({ team, model: 'solo', inputTokens: 1 })).toMatchObject({ allowed: false, reason: 'insufficient_quota' });
    await sleep(1300);
    expect((await authorize({ team, model: 'solo', inputTokens: 1 })).allowed).toBe(true);

    const late = await authorize({ team, model: 'other', inputTokens: 100 });
    await sleep(1300);
    expect((await usage({ reservationId: late.reservationId, inputTokens: 900, outputTokens: 50 })).body).toEqual({ reservation: 'expired', counted: true });
    // 950 of 1000 tokens used (plus the lapsed holds of nothing): 100 more do not fit, 50 do.
    expect(await authorize({ team, model: 'other', inputTokens: 100 })).toMatchObject({ allowed: false, reason: 'insufficient_quota' });
    expect((await authorize({ team, model: 'other', inputTokens: 50 })).allowed).toBe(true);

    expect(await usage({ reservationId: 'made-up', inputTokens: 1, outputTokens: 1 })).toEqual({ status: 200, body: { reservation: 'expired', counted: false } });
    const tampered = `${String(late.reservationId).slice(0, -3)}AAA`;
    expect((await usage({ reservationId: tampered, inputTokens: 1, outputTokens: 1 })).body).toEqual({ reservation: 'expired', counted: false });
  });

  it.skipIf(!process.env.REDIS_URL)('counts usage of a reservation the Redis counters have forgotten, against the quotas it was made under', async () => {
    const team = unique('forgotten');
    await put({ name: unique('forgotten'), scope: { team }, quotas: [{ name: 'tokens', metric: 'tokens', limit: 1000, period: 'day' }] });
    const admitted = await authorize({ team, model: 'm', inputTokens: 10 });
    // The reservation id carries the counters' own id; drop the counters' record as an hour past the hold would.
    const payload = JSON.parse(Buffer.from(String(admitted.reservationId).slice(4).split('.')[0], 'base64url').toString('utf8')) as [number, string];
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      expect(await redis.del(`warden:quota:r:${payload[1]}`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    expect((await usage({ reservationId: admitted.reservationId, inputTokens: 900, outputTokens: 60 })).body).toEqual({ reservation: 'expired', counted: true });
    expect(await authorize({ team, model: 'm', inputTokens: 41 })).toMatchObject({ allowed: false, reason: 'insufficient_quota' });
    expect((await authorize({ team, model: 'm', inputTokens: 30 })).allowed).toBe(true);
  });

  it('estimates cost from the price catalog when the caller gives none', async () => {
    const team = unique('cost');
    await put({ name: unique('cost'), scope: { team }, quotas: [{ name: 'daily', metric: 'costUsd', limit: '1', period: 'day' }] });
    // gpt-4o-mini at catalog prices: 10M input tokens cost well over 1 USD.
    expect(await authorize({ team, model: 'gpt-4o-mini', inputTokens: 10_000_000 })).toMatchObject({ allowed: false, reason: 'insufficient_quota', message: expect.stringContaining('needs up to') as string });
    expect((await authorize({ team, model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 1000 })).allowed).toBe(true);
    // No price known: nothing held, but the quota still needs room.
    expect((await authorize({ team, model: 'house-model-7b', inputTokens: 10_000_000 })).allowed).toBe(true);
    expect((await authorize({ team, model: 'gpt-4o-mini', inputTokens: 10, estimatedCostUsd: '1.5' })).allowed).toBe(false);
  });

  it('names every bad field and refuses keys without the authorize scope', async () => {
    const bad = await call<{ error: { code: string; details: { problems: Array<{ field: string }> } } }>(testApp, 'POST', '/api/v1/authorize', key, {
      team: 'x',
      inputTokens: -1,
      estimatedCostUsd: 'lots',
      input_tokens: 5,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.map((problem) => problem.field).sort()).toEqual(['estimatedCostUsd', 'inputTokens', 'input_tokens', 'model']);
    expect((await call(testApp, 'POST', '/api/v1/authorize', testApp.ingestKey, { team: 'x', model: 'm', inputTokens: 1 })).status).toBe(401);
    const adminKey = await createScopedKey(testApp, 'admin');
    expect((await call(testApp, 'POST', '/api/v1/authorize', adminKey.secret, { team: 'x', model: 'm', inputTokens: 1 })).status).toBe(401);
    expect((await call(testApp, 'POST', '/api/v1/authorize', admin, { team: 'x', model: 'm', inputTokens: 1 })).status).toBe(401);
    expect((await call(testApp, 'POST', '/api/v1/usage', key, { reservationId: 'x' })).status).toBe(400);
  });

  it('previews redaction: every detector on mask without a policy, the policy\'s own actions with one', async () => {
    const text = 'Card 4111 1111 1111 1111, mail bob@example.org, SSN 536-22-8726.';
    const everything = await call<{ text: string; findings: Array<{ detector: string }>; blocked: boolean }>(testApp, 'POST', '/api/v1/redact', admin, { text });
    expect(everything).toEqual({
      status: 200,
      body: {
        text: 'Card [BANK_CARD_1], mail [EMAIL_1], SSN [US_SSN_1].',
        findings: [
          { detector: 'bank_card', start: 5, end: 24 },
          { detector: 'email', start: 31, end: 46 },
          { detector: 'us_ssn', start: 52, end: 63 },
        ],
        blocked: false,
      },
    });
    const name = unique('redact');
    await put({ name, scope: { team: 'x' }, pii: { detectors: { bank_card: 'block', email: 'allow' } } });
    const withPolicy = await call(testApp, 'POST', '/api/v1/redact', admin, { text, policyId: name });
    expect(withPolicy.body).toEqual({ text: 'Card [BANK_CARD_1], mail bob@example.org, SSN 536-22-8726.', findings: [{ detector: 'bank_card', start: 5, end: 24 }, { detector: 'email', start: 31, end: 46 }], blocked: true });
    expect((await call(testApp, 'POST', '/api/v1/redact', admin, { text, policyId: 'no-such-policy' })).status).toBe(404);
    expect((await call(testApp, 'POST', '/api/v1/redact', key, { text })).status).toBe(401);
    const adminKey = await createScopedKey(testApp, 'admin');
    expect((await call(testApp, 'POST', '/api/v1/redact', adminKey.secret, { text: '' })).body).toEqual({ text: '', findings: [], blocked: false });
    const finance = await testApp.signIn('finance');
    expect((await call(testApp, 'POST', '/api/v1/redact', finance.token, { text })).status).toBe(403);
  });

  it('fails closed on hard quotas when the quota store is down, unless configured open', async () => {
    const team = unique('down');
    await put({ name: unique('hard'), scope: { team }, quotas: [{ name: 'daily', metric: 'requests', limit: 100, period: 'day', enforcement: 'hard' }] });
    const softTeam = unique('soft');
    await put({ name: unique('soft'), scope: { team: softTeam }, quotas: [{ name: 'daily', metric: 'requests', limit: 100, period: 'day', enforcement: 'soft' }] });
    // The real Redis driver on a port where nothing listens: every counter call fails.
    const connection = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 2 });
    connection.on('error', () => undefined);
    const unreachable = new RedisQuotaCounters(connection, {}, true);
    const get = <T>(token: string | symbol | (abstract new (...args: never[]) => T)) => testApp.app.get<T>(token as never, { strict: false });
    const config = get<WardenConfig>(CONFIG);
    const serviceIn = (failureMode: 'closed' | 'open') =>
      new DecisionService(
        get(PolicySnapshot),
        get(PoliciesService),
        get(PolicyDecisionsRepository),
        get(PricingService),
        get(NodeLocations),
        unreachable,
        { ...config, quotas: { ...config.quotas, failureMode } },
        get(DerivedKeys),
        get<Registry>(Registry),
      );
    try {
      const closed = serviceIn('closed');
      expect(await closed.authorize({ team, model: 'm', inputTokens: 1 }, { source: 'http' })).toMatchObject({
        allowed: false,
        reason: 'rate_limit_exceeded',
        retryAfterSeconds: 5,
        message: expect.stringContaining('WARDEN_QUOTA_FAILURE_MODE') as string,
      });
      expect(await closed.authorize({ team: softTeam, model: 'm', inputTokens: 1 }, { source: 'http' })).toMatchObject({ allowed: true });
      const admitted = await serviceIn('open').authorize({ team, model: 'm', inputTokens: 1 }, { source: 'http' });
      expect(admitted).toMatchObject({ allowed: true });
      // Usage cannot be counted while the store is down: 503 (send it again), never silently dropped.
      const settling = await serviceIn('open').settle({ reservationId: (admitted as { reservationId: string }).reservationId, inputTokens: 1, outputTokens: 1 }).catch((error: unknown) => error);
      expect(settling).toMatchObject({ code: 'store_unavailable', details: { retryAfterSeconds: 5 } });
    } finally {
      await unreachable.close().catch(() => undefined);
    }
    const metrics = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/warden_quota_store_failures_total\{operation="reserve"\} [1-9]/);
    expect(metrics).toMatch(/warden_policy_decisions_total\{allowed="false",reason="model_not_allowed",source="http"\} [1-9]/);
  });

  it('gives the gateway, ingest and chargeback what they ask of the engine', async () => {
    const decisions = testApp.app.get(DecisionService);
    const team = unique('svc');
    const org = unique('svc-org');
    await put({ name: org, scope: { org: true }, retention: { requestsDays: 400, contentDays: 60 }, pii: { detectors: { email: 'hash' } } });
    await put({
      name: unique('svc-team'),
      scope: { team },
      models: { allow: ['gpt-4o*'], deny: ['*-preview'] },
      quotas: [
        { name: 'budget', metric: 'costUsd', limit: '250.5', period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'soft' },
        { name: 'tokens', metric: 'tokens', limit: 10, period: 'month' },
      ],
      retention: { contentDays: 30 },
      pii: { detectors: { email: 'mask', secret: 'block' }, keepOnPremises: true },
    });
    expect(await decisions.allowedModels({ team }, ['gpt-4o', 'gpt-4o-mini', 'gpt-4o-preview', 'llama-3'])).toEqual(['gpt-4o', 'gpt-4o-mini']);
    const effective = await decisions.resolvePolicy(team);
    expect(effective).toMatchObject({ piiActions: { email: 'mask', secret: 'block' }, keepOnPremises: true, retention: { requestsDays: 400, contentDays: 30 } });
    const budgets = await decisions.monthlyUsdQuotas(team, '2026-02', new Date('2026-02-10T00:00:00Z'));
    expect(budgets.filter((budget) => budget.quota === 'budget')).toEqual([
      expect.objectContaining({
        limitUsd: '250.5',
        limitNanoUsd: 250_500_000_000n,
        enforcement: 'soft',
        periodStart: new Date('2026-01-31T16:00:00Z'),
        periodEnd: new Date('2026-02-28T16:00:00Z'),
      }),
    ]);
  });

  it('tries a draft policy in the playground through GraphQL, reserving nothing', async () => {
    const trial = await testApp.graphql<{ tryPolicy: Record<string, unknown> }>(
      'query ($document: JSON, $model: String, $text: String) { tryPolicy(document: $document, model: $model, text: $text) { modelAllowed reason piiAction text blocked onPremisesOnly findings { detector start end } quotas { name counts } } }',
      {
        document: { name: 'draft', scope: { team: 'x' }, models: { allow: ['llama-*'] }, quotas: [{ name: 'q', metric: 'requests', limit: 1, period: 'day', models: ['gpt-*'] }], pii: { detectors: { email: 'mask' }, keepOnPremises: true } },
        model: 'llama-3',
        text: 'mail a@b.co',
      },
    );
    expect(trial.errors).toBeUndefined();
    expect(trial.data!.tryPolicy).toEqual({
      modelAllowed: true,
      reason: null,
      piiAction: 'mask',
      text: 'mail [EMAIL_1]',
      blocked: false,
      onPremisesOnly: true,
      findings: [{ detector: 'email', start: 5, end: 11 }],
      quotas: [{ name: 'q', counts: false }],
    });
  });
});
