import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRules, type Operation } from '../../../../server/src/modules/tenancy/access-rules';
import { allRoles, type Role } from '../../../../server/src/modules/tenancy/roles';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

type Caller = { role: Role; token: string };

/** One operation as a caller performs it over HTTP; answers how the server took it. */
interface Case {
  operation: Operation;
  name: string;
  /** The roles expected to be admitted, written out here (not read from the table), so the test checks the table. */
  admitted: readonly Role[];
  run(testApp: TestApp, caller: Caller): Promise<'admitted' | 'forbidden' | `other: ${string}`>;
}

const from = '2026-03-01T00:00:00Z';
const to = '2026-04-01T00:00:00Z';
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

function graphqlCase(operation: Operation, admitted: readonly Role[], name: string, query: (role: Role) => string): Case {
  return {
    operation,
    name,
    admitted,
    async run(testApp, caller) {
      const answer = await testApp.graphql(query(caller.role), {}, caller.token);
      const code = answer.errors?.[0]?.extensions?.code;
      // NOT_FOUND: the guard let the caller through to look, and the thing asked for does not exist.
      if (!answer.errors || code === 'NOT_FOUND') return 'admitted';
      if (code === 'FORBIDDEN' && (answer.data === null || answer.data === undefined || Object.values(answer.data).every((value) => value === null))) return 'forbidden';
      return `other: ${code} ${answer.errors[0].message}`;
    },
  };
}

function httpCase(operation: Operation, admitted: readonly Role[], name: string, method: string, path: (role: Role) => string, body?: (role: Role) => unknown): Case {
  return {
    operation,
    name,
    admitted,
    async run(testApp, caller) {
      const response = await fetch(`${testApp.baseUrl}${path(caller.role)}`, {
        method,
        headers: { authorization: `Bearer ${caller.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body(caller.role)) : undefined,
      });
      const text = await response.text();
      // 404 for an id that does not exist: the guard let the caller through to look (as NOT_FOUND over GraphQL).
      if ((response.status >= 200 && response.status < 300) || response.status === 404) return 'admitted';
      if (response.status === 403) return 'forbidden';
      return `other: ${response.status} ${text.slice(0, 200)}`;
    },
  };
}

const everyone = allRoles;

const cases: Case[] = [
  graphqlCase('spend.read', ['admin', 'finance', 'viewer'], 'spend', () => `{ spend(from: "${from}", to: "${to}", groupBy: []) { requests } }`),
  graphqlCase('spend.read', ['admin', 'finance', 'viewer'], 'unpricedModels', () => `{ unpricedModels(from: "${from}", to: "${to}") { model } }`),
  graphqlCase('requests.read', ['admin', 'compliance', 'finance', 'sre', 'viewer'], 'allRequests', () => '{ allRequests(perPage: 5) { id } _allRequestsMeta { count } }'),
  graphqlCase('evaluations.read', everyone, 'hallucinationRate', () => `{ hallucinationRate(from: "${from}", to: "${to}", groupBy: []) { requests } }`),
  graphqlCase('scores.write', ['admin', 'compliance', 'sre'], 'createScore', (role) => `mutation { createScore(team: "matrix", name: "hhem-2.1", id: "${unique(role)}", requestId: "m-1", value: 0.5) { id } }`),
  graphqlCase('scoreDefinitions.read', everyone, 'allScoreDefinitions', () => '{ allScoreDefinitions(perPage: 1) { id } }'),
  graphqlCase('scoreDefinitions.write', ['admin'], 'createScoreDefinition', (role) => `mutation { createScoreDefinition(name: "${unique(role)}", dataType: "boolean") { id } }`),
  graphqlCase('prices.read', everyone, 'allPrices', () => '{ allPrices(perPage: 1) { id } }'),
  graphqlCase('prices.write', ['admin', 'finance'], 'createPrice', (role) =>
    `mutation { createPrice(modelPattern: "${unique(role)}", provider: "matrix", inputPerMillionUsd: 1, outputPerMillionUsd: 1, effectiveFrom: "2026-01-01T00:00:00Z") { id } }`),
  graphqlCase('costs.recompute', ['admin', 'finance'], 'recomputeCosts', () => `mutation { recomputeCosts(from: "${from}", to: "${to}") { id } }`),
  graphqlCase('session.use', everyone, 'job', () => `{ job(id: "${randomUUID()}") { id } }`),
  graphqlCase('nodes.read', everyone, 'allNodes', () => '{ allNodes(perPage: 1) { id } }'),
  graphqlCase('nodes.write', ['admin'], 'createNode', (role) => `mutation { createNode(name: "${unique(role)}") { id } }`),
  graphqlCase('gpus.read', ['admin', 'sre'], 'gpuFleet', () => '{ gpuFleet { tiles { node } } }'),
  graphqlCase('onPremCost.read', ['admin', 'finance', 'sre'], 'onPremCost', () => `{ onPremCost(from: "${from}", to: "2026-03-02T00:00:00Z") { __typename } }`),
  graphqlCase('nodeStats.read', ['admin', 'sre'], 'nodesStats', () => `{ nodesStats(from: "${from}", to: "${to}") { node } }`),
  graphqlCase('budgets.read', ['admin', 'finance'], 'teamBudgets', () => '{ teamBudgets(month: "2026-03") { team } }'),
  graphqlCase('chargebackReports.read', ['admin', 'finance'], 'chargebackReports', () => '{ chargebackReports { id } }'),
  httpCase('chargebackReports.read', ['admin', 'finance'], 'GET /api/v1/reports/chargeback/{id}.csv', 'GET', () => `/api/v1/reports/chargeback/${randomUUID()}.csv`),
  graphqlCase('chargebackReports.write', ['admin', 'finance'], 'createChargebackReport', () => 'mutation { createChargebackReport(month: "2026-03") { id } }'),
  graphqlCase('policies.read', ['admin', 'compliance'], 'allPolicies', () => '{ allPolicies(perPage: 1) { id } }'),
  graphqlCase('policies.write', ['admin'], 'createPolicy', (role) => `mutation { createPolicy(document: { name: "${unique(role)}", scope: { team: "matrix" } }) { id } }`),
  httpCase('policies.read', ['admin', 'compliance'], 'GET /api/v1/policies', 'GET', () => '/api/v1/policies'),
  httpCase('policies.write', ['admin'], 'PUT /api/v1/policies/{name}', 'PUT', (role) => `/api/v1/policies/${role}-matrix`, (role) => ({ name: `${role}-matrix`, scope: { team: 'matrix' } })),
  httpCase('policies.read', ['admin', 'compliance'], 'POST /api/v1/redact', 'POST', () => '/api/v1/redact', () => ({ text: 'mail ana@example.com' })),
  graphqlCase('audit.read', ['admin', 'compliance'], 'allAuditEntries', () => '{ allAuditEntries(perPage: 1) { id } }'),
  graphqlCase('complianceView.read', ['admin', 'compliance'], 'complianceView', () => `{ complianceView(from: "${from}", to: "${to}") { from } }`),
  graphqlCase('exports.read', ['admin', 'compliance'], 'allExports', () => '{ allExports(perPage: 1) { id } _allExportsMeta { count } }'),
  httpCase('exports.read', ['admin', 'compliance'], 'GET /api/v1/exports/{id}/download', 'GET', () => `/api/v1/exports/${randomUUID()}/download`),
  graphqlCase('exports.write', ['admin', 'compliance'], 'createExport', () => `mutation { createExport(kind: AUDIT, from: "${from}", to: "${to}") { id } }`),
  graphqlCase('retention.read', ['admin', 'compliance'], 'retentionStatus', () => '{ retentionStatus { team } allLegalHolds { id } }'),
  // An unknown hold: NOT_FOUND says the guard let the caller through, and no hold is placed or released.
  graphqlCase('retention.hold', ['admin', 'compliance'], 'releaseLegalHold', () => `mutation { releaseLegalHold(id: "${randomUUID()}") { id } }`),
  graphqlCase('retention.sweep', ['admin'], 'runRetentionSweep', () => 'mutation { runRetentionSweep { id } }'),
  graphqlCase('alerts.read', ['admin', 'compliance', 'finance', 'sre'], 'allAlerts', () => '{ allAlerts(perPage: 1) { id } allAlertRules(perPage: 1) { id } }'),
  graphqlCase('alertRules.write', ['admin'], 'deleteAlertRule', () => `mutation { deleteAlertRule(id: "${randomUUID()}") { id } }`),
  graphqlCase('alerts.evaluate', ['admin'], 'evaluateAlertRules', () => 'mutation { evaluateAlertRules { rules } }'),
  graphqlCase('alertChannels.manage', ['admin'], 'allAlertChannels', () => '{ allAlertChannels(perPage: 1) { id } }'),
  graphqlCase('tenancy.manage', ['admin'], 'allTeams', () => '{ allTeams { id } _allTeamsMeta { count } }'),
  graphqlCase('tenancy.manage', ['admin'], 'createTeam', (role) => `mutation { createTeam(name: "${unique(role)}") { id } }`),
  graphqlCase('tenancy.manage', ['admin'], 'allUsers', () => '{ allUsers { id email role } _allUsersMeta { count } }'),
  graphqlCase('tenancy.manage', ['admin'], 'createUser', (role) =>
    `mutation { createUser(email: "${unique(role)}@example.com", name: "N", role: "viewer", teams: [], password: "long enough password") { id } }`),
  graphqlCase('tenancy.manage', ['admin'], 'allApiKeys', () => '{ allApiKeys { id scopes } _allApiKeysMeta { count } }'),
  graphqlCase('tenancy.manage', ['admin'], 'createApiKey', (role) => `mutation { createApiKey(name: "${role} key", scopes: ["ingest"]) { id secret } }`),
];

describe('role × operation over HTTP: every permission and every refusal', () => {
  let testApp: TestApp;
  const callers = new Map<Role, Caller>();

  beforeAll(async () => {
    testApp = await startTestApp();
    callers.set('admin', { role: 'admin', token: testApp.sessionToken });
    for (const role of allRoles.filter((name) => name !== 'admin')) callers.set(role, { role, token: (await testApp.signIn(role, undefined, ['matrix-viewers'])).token });
  }, 120_000);
  afterAll(async () => {
    await testApp?.close();
  });

  it('covers every operation of the access table, and agrees with it', () => {
    const covered = new Set(cases.map((testCase) => testCase.operation));
    expect([...covered].sort()).toEqual(Object.keys(accessRules).filter((operation) => operation !== 'content.read').sort());
    for (const testCase of cases) expect([...testCase.admitted].sort(), testCase.name).toEqual([...accessRules[testCase.operation]].sort());
  });

  for (const testCase of cases) {
    it(`${testCase.name} (${testCase.operation}): admits ${testCase.admitted.join(', ')}; refuses the others`, async () => {
      const outcomes: Record<string, string> = {};
      for (const role of allRoles) outcomes[role] = await testCase.run(testApp, callers.get(role)!);
      const expected = Object.fromEntries(allRoles.map((role) => [role, testCase.admitted.includes(role) ? 'admitted' : 'forbidden']));
      expect(outcomes).toEqual(expected);
    });
  }

  it('refuses every operation without a session', async () => {
    for (const testCase of cases) {
      const outcome = await testCase.run(testApp, { role: 'viewer', token: 'no-such-token' });
      expect(outcome, testCase.name).toMatch(/^other: (UNAUTHENTICATED|401)/);
    }
  });

  it('shows content to admin and compliance only; finance, sre and viewer get the row without it', async () => {
    const posted = await postEvents(testApp, [{ id: 'matrix-content', timestamp: '2026-03-02T10:00:00Z', team: 'matrix-viewers', model: 'gpt-4o', provider: 'openai', prompt: 'secret prompt', completion: 'secret completion' }]);
    expect(posted.body).toMatchObject({ accepted: 1 });
    const query = '{ Request(id: "matrix-content") { id prompt completion contentVisible } }';
    for (const role of allRoles) {
      const { data, errors } = await testApp.graphql<{ Request: { prompt: string; completion: string; contentVisible: boolean } }>(query, {}, callers.get(role)!.token);
      expect(errors, role).toBeUndefined();
      const readsContent = role === 'admin' || role === 'compliance';
      expect(data?.Request, role).toMatchObject(readsContent ? { prompt: 'secret prompt', completion: 'secret completion', contentVisible: true } : { prompt: '', completion: '', contentVisible: false });
      if (!readsContent) expect(JSON.stringify(data)).not.toContain('secret');
    }
  });

  it("limits a viewer's spend and requests to its own teams (and the teams under them)", async () => {
    const parent = await testApp.graphql<{ Team: { id: string } }>('{ allTeams(filter: { q: "matrix-viewers" }) { id } }');
    const parentId = (parent.data as unknown as { allTeams: Array<{ id: string }> }).allTeams[0].id;
    const child = await testApp.graphql(`mutation { createTeam(name: "matrix-child", parent: "${parentId}") { id parent } }`);
    expect(child.errors).toBeUndefined();
    const posted = await postEvents(testApp, [
      { id: 'own-1', timestamp: '2026-03-03T10:00:00Z', team: 'matrix-viewers', model: 'gpt-4o', provider: 'openai', inputTokens: 10 },
      { id: 'child-1', timestamp: '2026-03-03T10:00:00Z', team: 'matrix-child', model: 'gpt-4o', provider: 'openai', inputTokens: 20 },
      { id: 'other-1', timestamp: '2026-03-03T10:00:00Z', team: 'matrix-others', model: 'gpt-4o', provider: 'openai', inputTokens: 40 },
    ]);
    expect(posted.body).toMatchObject({ accepted: 3 });
    // A new session: the viewer's teams are read at each request, the child team included now.
    const viewer = await testApp.signIn('viewer', undefined, ['matrix-viewers']);
    const spendQuery = `{ spend(from: "2026-03-03T00:00:00Z", to: "2026-03-04T00:00:00Z", groupBy: [TEAM]) { team inputTokens } }`;
    const asViewer = await testApp.graphql<{ spend: Array<{ team: string; inputTokens: number }> }>(spendQuery, {}, viewer.token);
    expect(asViewer.data?.spend.map((row) => row.team).sort()).toEqual(['matrix-child', 'matrix-viewers']);
    const asFinance = await testApp.graphql<{ spend: Array<{ team: string }> }>(spendQuery, {}, callers.get('finance')!.token);
    expect(asFinance.data?.spend.map((row) => row.team).sort()).toEqual(['matrix-child', 'matrix-others', 'matrix-viewers']);
    // Asking for another team by filter answers nothing rather than that team's rows.
    const filtered = await testApp.graphql<{ spend: Array<{ requests: number }> }>(
      `{ spend(from: "2026-03-03T00:00:00Z", to: "2026-03-04T00:00:00Z", groupBy: [], filter: { team: "matrix-others" }) { requests } }`, {}, viewer.token);
    expect(filtered.data?.spend.reduce((sum, row) => sum + row.requests, 0) ?? 0).toBe(0);
    const requests = await testApp.graphql<{ allRequests: Array<{ id: string }>; _allRequestsMeta: { count: number } }>(
      '{ allRequests(filter: { timestamp_gte: "2026-03-03T00:00:00Z", timestamp_lte: "2026-03-04T00:00:00Z" }) { id } _allRequestsMeta(filter: { timestamp_gte: "2026-03-03T00:00:00Z", timestamp_lte: "2026-03-04T00:00:00Z" }) { count } }', {}, viewer.token);
    expect(requests.data?.allRequests.map((row) => row.id).sort()).toEqual(['child-1', 'own-1']);
    expect(requests.data?._allRequestsMeta.count).toBe(2);
    const other = await testApp.graphql('{ Request(id: "other-1") { id } }', {}, viewer.token);
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // A viewer in no team reads no team's data.
    const loner = await testApp.signIn('viewer');
    const none = await testApp.graphql<{ allRequests: unknown[] }>('{ allRequests { id } }', {}, loner.token);
    expect(none.data?.allRequests).toEqual([]);
  });
});
