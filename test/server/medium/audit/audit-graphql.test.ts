import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestApp, type SignedInUser, type TestApp } from '../../../support/test-app';
import { call, createScopedKey } from '../policies/policy-test-support';

interface Entry {
  id: string;
  sequence: string;
  at: string;
  action: string;
  actor: string;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  team: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

const entryFields = 'id sequence at action actor actorRole targetType targetId team before after details prevHash hash';
const policy = (limit: string) => ({
  name: 'claims',
  scope: { team: 'claims' },
  models: { allowAll: true },
  quotas: [{ name: 'monthly', metric: 'costUsd', limit, period: 'month', timeZone: 'UTC', enforcement: 'hard' }],
});

describe('the audit log over GraphQL and HTTP', () => {
  let testApp: TestApp;
  let compliance: SignedInUser;

  beforeAll(async () => {
    testApp = await startTestApp();
    compliance = await testApp.signIn('compliance');
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const entries = async (filter: Record<string, unknown>, token = testApp.sessionToken, extra = '') => {
    const answer = await testApp.graphql<{ allAuditEntries: Entry[]; _allAuditEntriesMeta: { count: number } }>(
      `query($filter: AuditEntryFilter) { allAuditEntries(filter: $filter, perPage: 100${extra}) { ${entryFields} } _allAuditEntriesMeta(filter: $filter) { count } }`,
      { filter },
      token,
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!;
  };

  it('records a policy change over PUT /api/v1/policies/{name} with the document before and after', async () => {
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', testApp.sessionToken, policy('500'))).status).toBe(200);
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', testApp.sessionToken, policy('750'))).status).toBe(200);
    // Unchanged: no version, no entry.
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', testApp.sessionToken, policy('750.00'))).status).toBe(200);
    const { allAuditEntries, _allAuditEntriesMeta } = await entries({ action: 'policy.update', targetType: 'policy' });
    expect(_allAuditEntriesMeta.count).toBe(2);
    const [updated, created] = allAuditEntries;
    expect(created).toMatchObject({ actor: 'user:admin@warden.local', actorRole: 'admin', targetType: 'policy', targetId: 'claims', team: 'claims', before: null });
    expect(created.after).toMatchObject({ name: 'claims', quotas: [{ limit: '500' }] });
    expect(created.details).toMatchObject({ change: 'create', version: 1 });
    expect(updated.before).toMatchObject({ quotas: [{ limit: '500' }] });
    expect(updated.after).toMatchObject({ quotas: [{ limit: '750' }] });
    expect(updated.prevHash).toBe(created.hash);
    expect(BigInt(updated.sequence)).toBeGreaterThan(BigInt(created.sequence));
  });

  it('names an admin-scoped key by its id when it writes a policy', async () => {
    const key = await createScopedKey(testApp, 'admin');
    expect((await call(testApp, 'PUT', '/api/v1/policies/keyed', key.secret, { ...policy('1'), name: 'keyed', scope: { org: true } })).status).toBe(200);
    const { allAuditEntries } = await entries({ action: 'policy.update', q: 'keyed' });
    expect(allAuditEntries[0]).toMatchObject({ actor: `key:${key.id}`, actorRole: null, targetId: 'keyed', team: null });
  });

  it('records a policy mutation through GraphQL once, as the service records it, not again as graphql.updatePolicy', async () => {
    const answer = await testApp.graphql(`mutation($document: JSON!) { updatePolicy(id: "claims", document: $document) { version } }`, { document: policy('900') });
    expect(answer.errors).toBeUndefined();
    expect((await entries({ action: 'graphql.updatePolicy' }))._allAuditEntriesMeta.count).toBe(0);
    const { allAuditEntries } = await entries({ action: 'policy.update', targetType: 'policy' });
    expect(allAuditEntries[0]).toMatchObject({ targetId: 'claims', details: { change: 'update', version: 3 } });
  });

  it('records every other successful mutation as graphql.<name>, with the principal and the arguments', async () => {
    const answer = await testApp.graphql<{ createNode: { id: string } }>(`mutation { createNode(name: "gpu-audit-1", kind: "vllm", notes: "rack 4") { id } }`);
    expect(answer.errors).toBeUndefined();
    const { allAuditEntries } = await entries({ action: 'graphql.createNode' });
    expect(allAuditEntries).toHaveLength(1);
    expect(allAuditEntries[0]).toMatchObject({
      actor: 'user:admin@warden.local',
      actorRole: 'admin',
      targetType: 'Node',
      targetId: answer.data!.createNode.id,
      details: { mutation: 'createNode', arguments: { name: 'gpu-audit-1', kind: 'vllm', notes: 'rack 4' } },
    });
    // A refused mutation changed nothing and is not recorded.
    const refused = await testApp.graphql(`mutation { createNode(name: "gpu-audit-2") { id } }`, undefined, compliance.token);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await entries({ action: 'graphql.createNode' }))._allAuditEntriesMeta.count).toBe(1);
  });

  it('records sign-in, failed sign-in (the email, never the password) and sign-out', async () => {
    const wrongPassword = 'hunter2-wrong-password-xyz';
    expect((await login(testApp.baseUrl, 'admin@warden.local', wrongPassword)).status).toBe(401);
    expect((await login(testApp.baseUrl, 'nobody@example.com', wrongPassword)).status).toBe(401);
    const user = await testApp.signIn('sre');
    expect((await fetch(`${testApp.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` } })).status).toBe(204);

    const failed = (await entries({ action: 'auth.loginFailed' })).allAuditEntries;
    expect(failed.map((entry) => [entry.actor, entry.details?.email, entry.details?.reason])).toEqual([
      ['user:nobody@example.com', 'nobody@example.com', 'unknown_user'],
      ['user:admin@warden.local', 'admin@warden.local', 'wrong_password'],
    ]);
    const signedIn = (await entries({ action: 'auth.login', actor: user.email })).allAuditEntries;
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]).toMatchObject({ actor: `user:${user.email}`, actorRole: 'sre', targetType: 'user', targetId: user.userId });
    const signedOut = (await entries({ action: 'auth.logout', actor: user.email })).allAuditEntries;
    expect(signedOut).toHaveLength(1);
    // No row anywhere holds a password that was typed.
    const all = (await testApp.engines.postgres.query('SELECT row_to_json(audit_log)::text AS row FROM audit_log')) as Array<{ row: string }>;
    for (const { row } of all) {
      expect(row).not.toContain(wrongPassword);
      expect(row).not.toContain(user.password);
    }
  });

  it('filters by actor, team, family of actions and time, pages, sorts, and reads one entry by id', async () => {
    const family = await entries({ action: 'auth.' });
    expect(family.allAuditEntries.every((entry) => entry.action.startsWith('auth.'))).toBe(true);
    expect(family._allAuditEntriesMeta.count).toBeGreaterThanOrEqual(4);
    expect((await entries({ team: 'claims' })).allAuditEntries.every((entry) => entry.team === 'claims')).toBe(true);
    expect((await entries({ from: '2000-01-01T00:00:00Z', to: '2000-12-31T00:00:00Z' }))._allAuditEntriesMeta.count).toBe(0);
    const oldestFirst = (await entries({}, testApp.sessionToken, ', sortField: "sequence", sortOrder: "ASC"')).allAuditEntries;
    expect(oldestFirst[0].sequence).toBe('1');
    const paged = await testApp.graphql<{ allAuditEntries: Entry[] }>('{ allAuditEntries(page: 1, perPage: 2, sortField: "sequence", sortOrder: "ASC") { sequence } }');
    expect(paged.data!.allAuditEntries.map((entry) => entry.sequence)).toEqual(['3', '4']);
    const one = await testApp.graphql<{ AuditEntry: Entry | null }>(`query($id: ID!) { AuditEntry(id: $id) { ${entryFields} } }`, { id: oldestFirst[0].id });
    expect(one.data!.AuditEntry).toEqual(oldestFirst[0]);
    expect((await testApp.graphql<{ AuditEntry: Entry | null }>('{ AuditEntry(id: "not-a-uuid") { id } }')).data!.AuditEntry).toBeNull();
    const badSort = await testApp.graphql('{ allAuditEntries(sortField: "hash") { id } }');
    expect(badSort.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('verifies the chain, records the verification, and names a row altered in the database', async () => {
    const valid = await testApp.graphql<{ verifyAuditChain: Record<string, unknown> }>(
      '{ verifyAuditChain { valid checkedRows firstBrokenSequence firstBrokenId reason verifiedAt } }',
      undefined,
      compliance.token,
    );
    expect(valid.errors).toBeUndefined();
    expect(valid.data!.verifyAuditChain).toMatchObject({ valid: true, firstBrokenSequence: null, firstBrokenId: null, reason: null });
    const verified = (await entries({ action: 'audit.verify' })).allAuditEntries;
    expect(verified[0]).toMatchObject({ actor: `user:${compliance.email}`, actorRole: 'compliance', details: { valid: true } });

    const victim = (await entries({ action: 'policy.update' }, testApp.sessionToken, ', sortField: "sequence", sortOrder: "ASC"')).allAuditEntries[0];
    await testApp.engines.postgres.query(`UPDATE audit_log SET details = '{"change": "nothing to see"}'::jsonb WHERE id = $1`, [victim.id]);
    const broken = await testApp.graphql<{ verifyAuditChain: Record<string, unknown> }>('{ verifyAuditChain { valid checkedRows firstBrokenSequence firstBrokenId reason } }');
    expect(broken.data!.verifyAuditChain).toMatchObject({ valid: false, firstBrokenSequence: victim.sequence, firstBrokenId: victim.id, checkedRows: Number(victim.sequence) - 1 });
  });

  it('refuses every role but admin and compliance, and anonymous callers', async () => {
    const operations = [
      '{ allAuditEntries { id } }',
      '{ _allAuditEntriesMeta { count } }',
      '{ AuditEntry(id: "00000000-0000-0000-0000-000000000000") { id } }',
      '{ verifyAuditChain { valid } }',
    ];
    for (const role of ['finance', 'sre', 'viewer'] as const) {
      const user = await testApp.signIn(role);
      for (const operation of operations) {
        const answer = await testApp.graphql(operation, undefined, user.token);
        expect(answer.errors?.[0].extensions?.code, `${role}: ${operation}`).toBe('FORBIDDEN');
        expect(Object.values(answer.data ?? {}).every((value) => value === null), `${role}: ${operation}`).toBe(true);
      }
    }
    for (const operation of operations) {
      const answer = await testApp.graphql(operation, undefined, 'not-a-session');
      expect(answer.errors?.[0].extensions?.code, `anonymous: ${operation}`).toBe('UNAUTHENTICATED');
    }
    for (const operation of operations) expect((await testApp.graphql(operation, undefined, compliance.token)).errors, `compliance: ${operation}`).toBeUndefined();
  });
});
