import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeService } from '../../../../server/src/modules/nodes/nodes.service';
import { IngestRepository } from '../../../../server/src/modules/ingest/ingest.repository';
import { DecisionService } from '../../../../server/src/modules/policies/decision.service';
import { PolicyDecisionsRepository } from '../../../../server/src/modules/policies/policy-decisions.repository';
import { startTestApp, type SignedInUser, type TestApp } from '../../../support/test-app';
import { unique } from '../policies/policy-test-support';
import { clickhouseRows, ingest, putPolicy } from './compliance-support';

const viewQuery = `query ($from: DateTime!, $to: DateTime!, $teams: [String!]) {
  complianceView(from: $from, to: $to, teams: $teams, bucket: HOUR) {
    teams bucket
    decisions { decisions allowed denied timeline { bucket decisions allowed denied } denialTimeline { reason denied }
                denials { team model reason denied } byReason { key denied } byTeam { key denied } byModel { key denied } }
    personalData { team detector action outcome requests findings onPremises }
    locality { team requests onPremises external onPremisesShare withPersonalData personalDataOnPremises personalDataExternal personalDataOnPremisesShare }
    retention { dataClass team policyDays rowsKept }
    auditChain { valid checkedRows verifiedAt }
    flaggedNodes { node models location checkedAt }
  }
}`;

// The compliance view on real engines: requests ingested under personal-data policies and decisions made by the
// decision engine, read back as the dashboard reads them (hourly rollups), for compliance and admin only.
describe('compliance view', () => {
  let testApp: TestApp;
  let compliance: SignedInUser;
  const claims = unique('claims');
  const support = unique('support');
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
  const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000).toISOString();
  const range = { from: new Date(hour.getTime() - 3_600_000).toISOString(), to: new Date(hour.getTime() + 2 * 3_600_000).toISOString() };

  beforeAll(async () => {
    testApp = await startTestApp();
    compliance = await testApp.signIn('compliance');
    await putPolicy(testApp, {
      name: `pii-${claims}`,
      scope: { team: claims },
      models: { allowAll: false, allow: ['gpt-4o-mini'] },
      pii: { detectors: { email: 'mask', cn_resident_id: 'block' } },
    });
    await putPolicy(testApp, { name: `pii-${support}`, scope: { team: support }, pii: { detectors: { email: 'hash' } } });
    const base = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 10, outputTokens: 5, completion: 'ok' };
    await ingest(testApp, [
      { ...base, id: 'c1', team: claims, timestamp: at(1), prompt: 'mail ana@example.com and bo@example.com', node: 'gpu-node-1', provider: 'vllm' },
      { ...base, id: 'c2', team: claims, timestamp: at(2), prompt: 'write to cy@example.com' },
      { ...base, id: 'c3', team: claims, timestamp: at(3), prompt: 'ID 11010519491231002X please' },
      { ...base, id: 's1', team: support, timestamp: at(4), prompt: 'from dee@example.com' },
      { ...base, id: 's2', team: support, timestamp: at(65), prompt: 'nothing personal', node: 'gpu-node-2', provider: 'vllm' },
      { ...base, id: 'other', team: unique('other'), timestamp: at(5), prompt: 'outside the teams asked for' },
    ]);
    const decisions = testApp.app.get(DecisionService);
    const now = new Date(at(10));
    for (const model of ['gpt-4o-mini', 'gpt-4o-mini', 'claude-3-opus', 'llama-3-70b']) {
      await decisions.authorize({ team: claims, model, inputTokens: 10 }, { source: 'http', now } as never);
    }
    await decisions.authorize({ team: support, model: 'claude-3-opus', inputTokens: 10 }, { source: 'http', now } as never);
    // The gateway's health check found one node serving a model its node policy does not allow.
    const nodes = testApp.app.get(NodeService);
    const flagged = await nodes.create({ name: 'gpu-node-1', kind: 'vllm', labels: {}, notes: '', hourlyCostUsd: '1', energyPriceUsdPerKwh: '0.1', powerOverheadFactor: '1' } as never);
    await nodes.create({ name: 'gpu-node-2', kind: 'vllm', labels: {}, notes: '', hourlyCostUsd: '1', energyPriceUsdPerKwh: '0.1', powerOverheadFactor: '1' } as never);
    await nodes.recordHealth(flagged.node.id, { status: 'up', latencyMs: 3, checkedAt: new Date(at(30)), error: null, flaggedModels: ['qwen2.5-72b', 'llama-3-70b'] });
    // Decisions are written through the batching writer: wait until the five are stored.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const [row] = await clickhouseRows<{ decisions: string }>(testApp, 'SELECT toString(sum(decisions)) AS decisions FROM warden.policy_decisions_hourly WHERE team IN {teams:Array(String)}', { teams: [claims, support] });
      if (row.decisions === '5') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('shows decisions, personal data by detector and handling, locality and the audit chain for the teams asked', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deep GraphQL answer read field by field
    const answer = await testApp.graphql<{ complianceView: Record<string, any> }>(viewQuery, { ...range, teams: [support, claims] }, compliance.token);
    expect(answer.errors).toBeUndefined();
    const view = answer.data!.complianceView;
    expect(view.teams).toEqual([claims, support].sort());
    expect(view.decisions).toMatchObject({ decisions: 5, allowed: 3, denied: 2 });
    expect(view.decisions.timeline).toEqual([{ bucket: hour.toISOString(), decisions: 5, allowed: 3, denied: 2 }]);
    expect(view.decisions.denials).toEqual([
      { team: claims, model: 'claude-3-opus', reason: 'model_not_allowed', denied: 1 },
      { team: claims, model: 'llama-3-70b', reason: 'model_not_allowed', denied: 1 },
    ]);
    expect(view.decisions.byReason).toEqual([{ key: 'model_not_allowed', denied: 2 }]);
    expect(view.decisions.byTeam).toEqual([{ key: claims, denied: 2 }]);

    const detections = [...view.personalData].sort((first, second) => `${first.team}${first.detector}${first.action}`.localeCompare(`${second.team}${second.detector}${second.action}`));
    expect(detections).toEqual(
      [
        { team: claims, detector: 'cn_resident_id', action: 'block', outcome: 'blocked', requests: 1, findings: 1, onPremises: 0 },
        { team: claims, detector: 'email', action: 'mask', outcome: 'masked', requests: 2, findings: 3, onPremises: 1 },
        { team: support, detector: 'email', action: 'hash', outcome: 'hashed', requests: 1, findings: 1, onPremises: 0 },
      ].sort((first, second) => `${first.team}${first.detector}${first.action}`.localeCompare(`${second.team}${second.detector}${second.action}`)),
    );

    const locality = Object.fromEntries(view.locality.map((row: { team: string | null }) => [row.team ?? 'all', row]));
    expect(locality[claims]).toEqual({
      team: claims, requests: 3, onPremises: 1, external: 2, onPremisesShare: 1 / 3,
      withPersonalData: 3, personalDataOnPremises: 1, personalDataExternal: 2, personalDataOnPremisesShare: 1 / 3,
    });
    expect(locality[support]).toMatchObject({ requests: 2, onPremises: 1, withPersonalData: 1, personalDataOnPremises: 0, personalDataOnPremisesShare: 0 });
    expect(locality.all).toMatchObject({ requests: 5, onPremises: 2, withPersonalData: 4, personalDataOnPremises: 1, onPremisesShare: 0.4 });

    expect(view.retention.map((row: { team: string }) => row.team).every((team: string | null) => team === null || [claims, support].includes(team))).toBe(true);
    expect(view.auditChain.valid).toBe(true);
    expect(view.flaggedNodes).toEqual([{ node: 'gpu-node-1', models: ['llama-3-70b', 'qwen2.5-72b'], location: 'on-premises', checkedAt: at(30) }]);
  });

  it('reads the same after its rollups are rebuilt from the stored rows, as after a crash on the embedded engine', async () => {
    const before = await testApp.graphql(viewQuery, { ...range, teams: [support, claims] }, compliance.token);
    expect(before.errors).toBeUndefined();
    const hours = [{ timestamp: at(0), time: at(0) }, { timestamp: at(65), time: at(65) }].map((row) => ({
      timestamp: row.timestamp.replace('T', ' ').replace('Z', ''),
      time: row.time.replace('T', ' ').replace('Z', ''),
    }));
    await testApp.app.get(PolicyDecisionsRepository).rollups.rebuildFor(hours);
    await testApp.app.get(IngestRepository).rollups.rebuildFor(hours);
    const after = await testApp.graphql(viewQuery, { ...range, teams: [support, claims] }, compliance.token);
    // The audit chain moves on with other tests' actions; every figure from the rollups stays.
    const withoutAudit = (data: unknown) => ({ ...(data as { complianceView: Record<string, unknown> }).complianceView, auditChain: undefined });
    expect(withoutAudit(after.data)).toEqual(withoutAudit(before.data));
  });

  it('answers admin too, and refuses finance, sre and viewer', async () => {
    expect((await testApp.graphql(viewQuery, range)).errors).toBeUndefined();
    for (const role of ['finance', 'sre', 'viewer'] as const) {
      const user = await testApp.signIn(role);
      const answer = await testApp.graphql(viewQuery, range, user.token);
      expect(answer.errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
      expect(answer.data ?? null).toBeNull();
    }
  });

  it('names a bad range and too many teams', async () => {
    const backwards = await testApp.graphql(viewQuery, { from: range.to, to: range.from }, compliance.token);
    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(backwards.errors?.[0].message).toContain('from');
    const tooLong = await testApp.graphql(viewQuery, { from: '2025-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, compliance.token);
    expect(tooLong.errors?.[0].message).toContain('366 days');
    const teams = Array.from({ length: 101 }, (_, index) => `team-${index}`);
    const tooMany = await testApp.graphql(viewQuery, { ...range, teams }, compliance.token);
    expect(tooMany.errors?.[0].message).toContain('teams');
  });
});
