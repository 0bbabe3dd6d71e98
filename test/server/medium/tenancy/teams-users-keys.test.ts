import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCacheMilliseconds } from '../../../../server/src/modules/tenancy/api-keys.service';
import { login, startTestApp, type TestApp } from '../../../support/test-app';

interface Team { id: string; name: string; displayName: string; parentId: string | null; parent: string | null; memberCount: number }
interface User { id: string; email: string; name: string; role: string; teams: string[]; teamIds: string[]; active: boolean }
interface ApiKey { id: string; name: string; prefix: string; team: string | null; scopes: string[]; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null; active: boolean }

const teamFields = 'id name displayName parentId parent memberCount';
const userFields = 'id email name role teams teamIds active';
const keyFields = 'id name prefix team scopes expiresAt lastUsedAt revokedAt active';

describe('teams, users and scoped API keys over GraphQL and HTTP', () => {
  let testApp: TestApp;
  const sql = (text: string, parameters: unknown[] = []) => testApp.engines.postgres.query(text, parameters) as Promise<Array<Record<string, unknown>>>;

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const answer = await testApp.graphql<T>(query, variables);
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data!;
  }
  const errorOf = async (query: string, variables?: Record<string, unknown>) => (await testApp.graphql(query, variables)).errors?.[0];

  const createTeam = (name: string, parent?: string) =>
    data<{ createTeam: Team }>(`mutation($name: String!, $parent: String) { createTeam(name: $name, parent: $parent) { ${teamFields} } }`, { name, parent }).then((d) => d.createTeam);
  const createKey = (variables: Record<string, unknown>) =>
    data<{ createApiKey: ApiKey & { secret: string; key: ApiKey } }>(
      `mutation($name: String!, $team: String, $scopes: [String!]!, $expiresAt: DateTime) { createApiKey(name: $name, team: $team, scopes: $scopes, expiresAt: $expiresAt) { ${keyFields} secret key { id } } }`,
      variables,
    ).then((d) => d.createApiKey);
  const ingest = async (secret: string, events: unknown[]) => {
    const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(events),
    });
    return { status: response.status, body: (await response.json()) as { accepted: number; duplicates: number; rejected: number; results: Array<{ status: string; errors?: Array<{ field: string; message: string }> }> } };
  };

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('creates teams under a parent, refuses bad names, duplicates and cycles, naming the field', async () => {
    const claims = await createTeam('claims-unit');
    const motor = await createTeam('motor-claims', 'claims-unit');
    expect(motor).toMatchObject({ name: 'motor-claims', displayName: 'motor-claims', parentId: claims.id, parent: 'claims-unit', memberCount: 0 });
    const bad = await errorOf('mutation { createTeam(name: "Bad Name!") { id } }');
    expect(bad?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad?.message).toMatch(/^name: /);
    expect((await errorOf('mutation { createTeam(name: "claims-unit") { id } }'))?.extensions?.code).toBe('CONFLICT');
    expect((await errorOf('mutation { createTeam(name: "orphan", parent: "no-such-team") { id } }'))?.message).toMatch(/^parent: no team "no-such-team"/);
    const cycle = await errorOf(`mutation { updateTeam(id: "${claims.id}", parent: "motor-claims") { id } }`);
    expect(cycle?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cycle?.message).toMatch(/^parent: .*cycle/);
    expect((await errorOf(`mutation { updateTeam(id: "${claims.id}", parent: "${claims.id}") { id } }`))?.message).toMatch(/cycle/);
    const renamed = await data<{ updateTeam: Team }>(`mutation { updateTeam(id: "${motor.id}", displayName: "Motor claims", parent: "") { ${teamFields} } }`);
    expect(renamed.updateTeam).toMatchObject({ displayName: 'Motor claims', parentId: null, parent: null });
    const listed = await data<{ allTeams: Team[]; _allTeamsMeta: { count: number } }>(`{ allTeams(sortField: "name", sortOrder: "ASC", filter: { q: "claims" }) { name } _allTeamsMeta(filter: { q: "claims" }) { count } }`);
    expect(listed).toEqual({ allTeams: [{ name: 'claims-unit' }, { name: 'motor-claims' }], _allTeamsMeta: { count: 2 } });
  });

  it('creates users with a role, teams and a password; never exposes a hash; refuses bad fields by name', async () => {
    await createTeam('user-team');
    const created = await data<{ createUser: User }>(
      `mutation { createUser(email: "Ana@Example.com", name: "Ana", role: "finance", teams: ["user-team"], password: "a long password") { ${userFields} } }`,
    );
    expect(created.createUser).toMatchObject({ email: 'ana@example.com', name: 'Ana', role: 'finance', teams: ['user-team'], active: true });
    expect((await login(testApp.baseUrl, 'ana@example.com', 'a long password')).status).toBe(200);
    // The mutation is in the audit log, its password redacted.
    const audited = await sql(`SELECT details FROM audit_log WHERE action = 'graphql.createUser'`);
    expect(JSON.stringify(audited)).not.toContain('a long password');
    const bad = await errorOf('mutation { createUser(email: "not-an-email", name: "X", role: "owner", teams: ["nope"], password: "short") { id } }');
    expect(bad?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const field of ['email', 'role', 'password']) expect(bad?.message).toContain(`${field}: `);
    expect((await errorOf('mutation { createUser(email: "ana@example.com", name: "A", role: "viewer", teams: [], password: "a long password") { id } }'))?.extensions?.code).toBe('CONFLICT');
    expect((await errorOf('mutation { createUser(email: "bo@example.com", name: "B", role: "viewer", teams: ["nope"], password: "a long password") { id } }'))?.message).toMatch(/^teams: no team "nope"/);
    // The User type has no field that could carry the password or its hash.
    const fields = await data<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "User") { fields { name } } }');
    expect(fields.__type.fields.map((field) => field.name).filter((name) => /pass|hash/i.test(name))).toEqual([]);
    const updated = await data<{ updateUser: User }>(`mutation { updateUser(id: "${created.createUser.id}", role: "viewer", teams: []) { ${userFields} } }`);
    expect(updated.updateUser).toMatchObject({ role: 'viewer', teams: [] });
    const filtered = await data<{ allUsers: User[]; _allUsersMeta: { count: number } }>('{ allUsers(filter: { role: "viewer", q: "ana" }) { email } _allUsersMeta(filter: { role: "viewer", q: "ana" }) { count } }');
    expect(filtered).toEqual({ allUsers: [{ email: 'ana@example.com' }], _allUsersMeta: { count: 1 } });
  });

  it('deactivates a user: their sessions die at once and they cannot sign in; an admin cannot deactivate themselves', async () => {
    const user = await testApp.signIn('finance');
    const second = await login(testApp.baseUrl, user.email, user.password);
    const allPrices = (token: string) => testApp.graphql('{ allPrices(perPage: 1) { id } }', {}, token);
    expect((await allPrices(user.token)).errors).toBeUndefined();
    const answer = await data<{ deactivateUser: User }>(`mutation { deactivateUser(id: "${user.userId}") { ${userFields} } }`);
    expect(answer.deactivateUser.active).toBe(false);
    for (const token of [user.token, second.body.token as string]) expect((await allPrices(token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(testApp.baseUrl, user.email, user.password)).status).toBe(401);
    const [admin] = await sql(`SELECT id FROM users WHERE email = 'admin@warden.local'`);
    expect((await errorOf(`mutation { deactivateUser(id: "${admin.id as string}") { id } }`))?.message).toMatch(/yourself/);
    // A new password ends the user's sessions too.
    const other = await testApp.signIn('sre');
    await data(`mutation { updateUser(id: "${other.userId}", password: "a brand new password") { id } }`);
    expect((await allPrices(other.token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(testApp.baseUrl, other.email, 'a brand new password')).status).toBe(200);
  });

  it('creates a key with several scopes and a team, answering the secret once and storing only its hash', async () => {
    await createTeam('key-team');
    const key = await createKey({ name: 'collector', team: 'key-team', scopes: ['ingest', 'gateway', 'ingest'] });
    expect(key).toMatchObject({ name: 'collector', team: 'key-team', scopes: ['ingest', 'gateway'], revokedAt: null, active: true, lastUsedAt: null });
    expect(key.secret).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    expect(key.key.id).toBe(key.id);
    const [row] = await sql('SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(JSON.stringify(row)).not.toContain(key.secret);
    // The audit log names the key, its team and scopes, never the secret.
    const audited = await sql(`SELECT action, actor, target_id, team, details FROM audit_log WHERE target_id = $1`, [key.id]);
    expect(audited).toEqual([expect.objectContaining({ action: 'apiKey.create', actor: 'user:admin@warden.local', team: 'key-team' })]);
    expect(audited[0].details).toMatchObject({ name: 'collector', scopes: ['ingest', 'gateway'] });
    expect(JSON.stringify(audited)).not.toContain(key.secret);
    const listed = await data<{ allApiKeys: Array<Record<string, unknown>> }>(`{ allApiKeys(filter: { team: "key-team" }) { ${keyFields} } }`);
    expect(listed.allApiKeys).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    const fields = await data<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "ApiKey") { fields { name } } }');
    expect(fields.__type.fields.map((field) => field.name)).not.toContain('secret');
    const bad = await errorOf('mutation { createApiKey(name: "", team: "nope", scopes: ["ingest", "root"], expiresAt: "2020-01-01T00:00:00Z") { id } }');
    expect(bad?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const field of ['name', 'scopes', 'expiresAt']) expect(bad?.message).toContain(`${field}: `);
    expect((await errorOf('mutation { createApiKey(name: "k", team: "nope", scopes: ["ingest"]) { id } }'))?.message).toMatch(/^team: no team "nope"/);
  });

  it('admits a key only on routes of its scopes, and refuses a revoked or expired key at once', async () => {
    const both = await createKey({ name: 'both', scopes: ['ingest', 'authorize'] });
    const gatewayOnly = await createKey({ name: 'gateway only', scopes: ['gateway'] });
    const event = [{ id: 'scoped-1', timestamp: '2026-03-02T10:00:00Z', team: 'any', model: 'gpt-4o', provider: 'openai' }];
    expect((await ingest(both.secret, event)).status).toBe(200);
    expect((await ingest(gatewayOnly.secret, event)).status).toBe(401);
    const authorize = await fetch(`${testApp.baseUrl}/api/v1/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${both.secret}` },
      body: JSON.stringify({ team: 'any', model: 'gpt-4o', inputTokens: 1 }),
    });
    expect(authorize.status).toBe(200);
    const revoked = await data<{ revokeApiKey: ApiKey }>(`mutation { revokeApiKey(id: "${both.id}") { ${keyFields} } }`);
    expect(revoked.revokeApiKey).toMatchObject({ active: false, revokedAt: expect.any(String) });
    expect((await sql(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY sequence`, [both.id])).map((entry) => entry.action)).toEqual(['apiKey.create', 'apiKey.revoke']);
    expect((await ingest(both.secret, event)).status).toBe(401);
    // Expiry is checked at every use, not only when the key is looked up again.
    const soon = await createKey({ name: 'expires soon', scopes: ['ingest'], expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await ingest(soon.secret, event)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await ingest(soon.secret, event)).status).toBe(401);
    expect(apiKeyCacheMilliseconds).toBeLessThanOrEqual(5000);
  });

  it('records the last use, at most once a minute per key', async () => {
    const key = await createKey({ name: 'used', scopes: ['ingest'] });
    expect((await ingest(key.secret, [{ id: 'used-1', timestamp: '2026-03-02T10:00:00Z', model: 'm' }])).status).toBe(200);
    const lastUsed = async () => {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const [row] = await sql('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
        if (row.last_used_at) return (row.last_used_at as Date).getTime();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return null;
    };
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect((await ingest(key.secret, [{ id: 'used-2', timestamp: '2026-03-02T10:00:00Z', model: 'm' }])).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await lastUsed()).toBe(first);
    const listed = await data<{ ApiKey: ApiKey }>(`{ ApiKey(id: "${key.id}") { lastUsedAt } }`);
    expect(new Date(listed.ApiKey.lastUsedAt!).getTime()).toBe(first);
  });

  it("stamps a team key's team on its events, refuses another team's by item, and lets an org key name the team", async () => {
    await createTeam('stamp-a');
    await createTeam('stamp-b');
    const teamKey = await createKey({ name: 'team a', team: 'stamp-a', scopes: ['ingest'] });
    const answer = await ingest(teamKey.secret, [
      { id: 'stamp-1', timestamp: '2026-03-02T10:00:00Z', model: 'm' },
      { id: 'stamp-2', timestamp: '2026-03-02T10:00:00Z', model: 'm', team: 'stamp-a' },
      { id: 'stamp-3', timestamp: '2026-03-02T10:00:00Z', model: 'm', team: 'stamp-b' },
    ]);
    expect(answer.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(answer.body.results[2]).toMatchObject({ status: 'rejected', errors: [{ field: 'team', message: expect.stringContaining('stamp-a') }] });
    const orgKey = await createKey({ name: 'org', scopes: ['ingest'] });
    expect((await ingest(orgKey.secret, [{ id: 'stamp-4', timestamp: '2026-03-02T10:00:00Z', model: 'm', team: 'stamp-b' }])).body).toMatchObject({ accepted: 1 });
    const rows = await data<{ allRequests: Array<{ id: string; team: string }> }>('{ allRequests(filter: { q: "stamp-" }, sortField: "timestamp") { id team } }');
    expect(rows.allRequests.map((row) => `${row.id}:${row.team}`).sort()).toEqual(['stamp-1:stamp-a', 'stamp-2:stamp-a', 'stamp-4:stamp-b']);
  });

  it('keeps two teams sending the same id as two events, each re-send counted once', async () => {
    await createTeam('twin-a');
    await createTeam('twin-b');
    const keyA = await createKey({ name: 'twin a', team: 'twin-a', scopes: ['ingest'] });
    const keyB = await createKey({ name: 'twin b', team: 'twin-b', scopes: ['ingest'] });
    const event = { id: 'req-1', timestamp: '2026-03-05T10:00:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 100 };
    expect((await ingest(keyA.secret, [event])).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await ingest(keyB.secret, [event])).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await ingest(keyA.secret, [event])).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await ingest(keyB.secret, [event, event])).body).toMatchObject({ accepted: 0, duplicates: 2 });
    const spend = await data<{ spend: Array<{ team: string; requests: number; inputTokens: number }> }>(
      '{ spend(from: "2026-03-05T00:00:00Z", to: "2026-03-06T00:00:00Z", groupBy: [TEAM]) { team requests inputTokens } }',
    );
    expect(spend.spend.filter((row) => row.team.startsWith('twin-')).sort((a, b) => a.team.localeCompare(b.team))).toEqual([
      { team: 'twin-a', requests: 1, inputTokens: 100 },
      { team: 'twin-b', requests: 1, inputTokens: 100 },
    ]);
  });

  it('refuses to delete a team with members or keys, saying which; deletes an empty one', async () => {
    const team = await createTeam('busy-team');
    await testApp.signIn('viewer', undefined, ['busy-team']);
    await createKey({ name: 'busy', team: 'busy-team', scopes: ['ingest'] });
    const refused = await errorOf(`mutation { deleteTeam(id: "${team.id}") { id } }`);
    expect(refused?.extensions?.code).toBe('CONFLICT');
    expect(refused?.message).toMatch(/1 member.*1 API key/);
    const empty = await createTeam('empty-team');
    expect((await data<{ deleteTeam: Team }>(`mutation { deleteTeam(id: "${empty.id}") { name } }`)).deleteTeam).toEqual({ name: 'empty-team' });
    expect((await errorOf(`{ Team(id: "${empty.id}") { id } }`))?.extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps the configured ingest key working as an organisation-level ingest key', async () => {
    const [row] = await sql(`SELECT scopes, team_id FROM api_keys WHERE name = 'WARDEN_INGEST_KEY'`);
    expect(row).toEqual({ scopes: ['ingest'], team_id: null });
    expect((await ingest(testApp.ingestKey, [{ id: 'env-key-1', timestamp: '2026-03-02T10:00:00Z', model: 'm', team: 'any-team' }])).body).toMatchObject({ accepted: 1 });
  });
});
