import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoliciesService } from '../../../../server/src/modules/policies/policies.service';
import { fixturesDirectory } from '../../../support/test-engines';
import { startTestApp, type SignedInUser, type TestApp } from '../../../support/test-app';
import { call, createScopedKey } from './policy-test-support';

const claims = {
  name: 'claims',
  scope: { team: 'claims' },
  models: { allowAll: false, allow: ['gpt-4o-mini', 'llama-3.*'], deny: ['*-preview'] },
  quotas: [{ name: 'monthly', metric: 'costUsd', limit: '500.00', period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'hard', models: ['gpt-4o*'] }],
  retention: { requestsDays: 180, contentDays: 30, scoresDays: 365, gpuDays: 90 },
  pii: { detectors: { email: 'mask', cn_resident_id: 'block' }, keepOnPremises: true },
};

interface VersionBody {
  name: string;
  version: number;
  document: typeof claims;
  createdAt: string;
  createdBy: string;
}

interface ProblemsBody {
  error: { code: string; message: string; details: { problems: Array<{ field: string; message: string }> } };
}

describe('policy store: versions over HTTP and GraphQL', () => {
  let testApp: TestApp;
  let admin: string;
  let compliance: SignedInUser;
  let finance: SignedInUser;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.sessionToken;
    compliance = await testApp.signIn('compliance');
    finance = await testApp.signIn('finance');
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('writes a version per change, none for an unchanged document, and keeps old versions readable', async () => {
    const first = await call(testApp, 'PUT', '/api/v1/policies/claims', admin, claims);
    expect(first).toEqual({ status: 200, body: { name: 'claims', version: 1 } });

    // The same meaning written differently (key order, "500" for "500.00", defaults spelled out): no new version.
    const reordered = { pii: claims.pii, retention: claims.retention, quotas: [{ ...claims.quotas[0], limit: 500 }], models: claims.models, scope: claims.scope, name: 'claims' };
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', admin, reordered)).body).toEqual({ name: 'claims', version: 1 });

    const changed = { ...claims, quotas: [{ ...claims.quotas[0], limit: '750' }] };
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', admin, changed)).body).toEqual({ name: 'claims', version: 2 });

    const current = await call<VersionBody>(testApp, 'GET', '/api/v1/policies/claims', admin);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ name: 'claims', version: 2, createdBy: 'admin@warden.local' });
    expect(current.body.document.quotas[0].limit).toBe('750');
    const old = await call<VersionBody>(testApp, 'GET', '/api/v1/policies/claims?version=1', admin);
    expect(old.body.version).toBe(1);
    // Read back from jsonb, the document is in the contract's key order with its exact limit.
    expect(JSON.stringify(old.body.document)).toBe(JSON.stringify({ ...claims, quotas: [{ ...claims.quotas[0], limit: '500' }] }));
    expect((await call(testApp, 'GET', '/api/v1/policies/claims?version=3', admin)).status).toBe(404);
    expect((await call(testApp, 'GET', '/api/v1/policies/claims?version=zero', admin)).status).toBe(400);

    const graphql = await testApp.graphql<{ Policy: { version: number; versions: Array<{ version: number; document: typeof claims; createdBy: string; createdAt: string }> } }>(
      'query ($id: ID!) { Policy(id: $id) { version versions { version document createdAt createdBy } } }',
      { id: 'claims' },
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.Policy.version).toBe(2);
    expect(graphql.data!.Policy.versions.map((version) => [version.version, version.document.quotas[0].limit, version.createdBy])).toEqual([
      [1, '500', 'admin@warden.local'],
      [2, '750', 'admin@warden.local'],
    ]);
  });

  it('takes YAML with a YAML content type, keeping a limit a double cannot hold exactly', async () => {
    const yaml = [
      'name: legal',
      'scope: {team: legal}',
      'quotas:',
      '  - name: daily',
      '    metric: costUsd',
      '    limit: 12345678.123456789',
      '    period: day',
      '    timeZone: Europe/Berlin',
    ].join('\n');
    expect((await call(testApp, 'PUT', '/api/v1/policies/legal', admin, yaml, 'application/yaml')).body).toEqual({ name: 'legal', version: 1 });
    const stored = await call<VersionBody>(testApp, 'GET', '/api/v1/policies/legal', admin);
    expect(stored.body.document.quotas[0]).toMatchObject({ limit: '12345678.123456789', enforcement: 'hard', timeZone: 'Europe/Berlin' });
  });

  it('refuses an invalid document naming every bad field, over HTTP and GraphQL', async () => {
    const invalid = {
      name: 'broken',
      scope: { team: 'claims' },
      models: { allow: ['gpt-[4o'], deny: [] },
      quotas: [{ name: 'monthly', metric: 'costUsd', limit: '-5', period: 'month', timeZone: 'Mars/Olympus_Mons' }],
      retention: { requestsDays: 30 },
      pii: { detectors: { email: 'mask', passport_number: 'block' } },
    };
    const answer = await call<ProblemsBody>(testApp, 'PUT', '/api/v1/policies/broken', admin, invalid);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    const fields = answer.body.error.details.problems.map((problem) => problem.field).sort();
    expect(fields).toEqual(['models.allow[0]', 'pii.detectors.passport_number', 'quotas[0].limit', 'quotas[0].timeZone', 'retention.requestsDays']);
    expect(answer.body.error.details.problems.find((problem) => problem.field === 'retention.requestsDays')!.message).toContain('180');

    const graphql = await testApp.graphql('mutation ($document: JSON!) { createPolicy(document: $document) { id } }', { document: invalid });
    expect(graphql.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const details = (graphql.errors?.[0].extensions as { details?: { problems: Array<{ field: string }> } }).details;
    expect(details!.problems.map((problem) => problem.field).sort()).toEqual(fields);
    expect((await call(testApp, 'GET', '/api/v1/policies/broken', admin)).status).toBe(404);

    const mismatch = await call<ProblemsBody>(testApp, 'PUT', '/api/v1/policies/other-name', admin, claims);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details.problems).toEqual([{ field: 'name', message: expect.stringContaining('"other-name"') as string }]);
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', admin, '{"name": "claims",', 'application/json')).status).toBe(400);
  });

  it('lets compliance read but not write, refuses finance, and takes admin-scoped keys', async () => {
    expect((await call(testApp, 'GET', '/api/v1/policies/claims', compliance.token)).status).toBe(200);
    expect((await call(testApp, 'PUT', '/api/v1/policies/claims', compliance.token, claims)).status).toBe(403);
    const list = await testApp.graphql<{ allPolicies: Array<{ id: string }> }>('{ allPolicies { id } }', {}, compliance.token);
    expect(list.data!.allPolicies.map((policy) => policy.id)).toEqual(['claims', 'legal']);
    const write = await testApp.graphql('mutation ($document: JSON!) { createPolicy(document: $document) { id } }', { document: { ...claims, name: 'by-compliance' } }, compliance.token);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await call(testApp, 'GET', '/api/v1/policies/claims', finance.token)).status).toBe(403);
    expect((await testApp.graphql('{ allPolicies { id } }', {}, finance.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await call(testApp, 'GET', '/api/v1/policies/claims', 'no-such-token')).status).toBe(401);

    const adminKey = await createScopedKey(testApp, 'admin', 'policy-ci');
    const byKey = await call(testApp, 'PUT', '/api/v1/policies/ops', adminKey.secret, { name: 'ops', scope: { org: true }, models: { allowAll: true } });
    expect(byKey.body).toEqual({ name: 'ops', version: 1 });
    expect((await call<VersionBody>(testApp, 'GET', '/api/v1/policies/ops', adminKey.secret)).body.createdBy).toBe('key:policy-ci');
    const authorizeKey = await createScopedKey(testApp, 'authorize');
    expect((await call(testApp, 'PUT', '/api/v1/policies/ops', authorizeKey.secret, { name: 'ops', scope: { org: true } })).status).toBe(401);
    expect((await call(testApp, 'GET', '/api/v1/policies', testApp.ingestKey)).status).toBe(401);
    const all = await call<{ policies: Array<{ name: string; version: number }> }>(testApp, 'GET', '/api/v1/policies', adminKey.secret);
    expect(all.body.policies.map((policy) => `${policy.name}@${policy.version}`)).toEqual(['claims@2', 'legal@1', 'ops@1']);
  });

  it('deletes with a last version: the history stays readable and a later write continues the numbers', async () => {
    expect((await call(testApp, 'DELETE', '/api/v1/policies/legal', admin)).body).toEqual({ name: 'legal', version: 2, deleted: true });
    expect((await call(testApp, 'GET', '/api/v1/policies/legal', admin)).status).toBe(404);
    expect((await call<VersionBody>(testApp, 'GET', '/api/v1/policies/legal?version=1', admin)).body.version).toBe(1);
    expect((await call(testApp, 'DELETE', '/api/v1/policies/legal', admin)).status).toBe(404);
    const list = await testApp.graphql<{ allPolicies: Array<{ id: string }>; _allPoliciesMeta: { count: number } }>('{ allPolicies { id } _allPoliciesMeta { count } }');
    expect(list.data).toEqual({ allPolicies: [{ id: 'claims' }, { id: 'ops' }], _allPoliciesMeta: { count: 2 } });
    const revived = await call(testApp, 'PUT', '/api/v1/policies/legal', admin, { name: 'legal', scope: { team: 'legal' } });
    expect(revived.body).toEqual({ name: 'legal', version: 3 });
  });

  it('updates and deletes through GraphQL with react-admin names', async () => {
    const created = await testApp.graphql<{ createPolicy: { id: string; version: number; scopeKind: string; scopeSubject: string } }>(
      'mutation ($document: JSON!) { createPolicy(document: $document) { id version scopeKind scopeSubject } }',
      { document: { name: 'support', scope: { team: 'support' }, models: { allow: ['llama-*'] } } },
    );
    expect(created.data!.createPolicy).toEqual({ id: 'support', version: 1, scopeKind: 'team', scopeSubject: 'support' });
    const mismatch = await testApp.graphql('mutation ($id: ID!, $document: JSON!) { updatePolicy(id: $id, document: $document) { id } }', {
      id: 'support',
      document: { name: 'other', scope: { team: 'support' } },
    });
    expect(mismatch.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const updated = await testApp.graphql<{ updatePolicy: { version: number } }>('mutation ($id: ID!, $document: JSON!) { updatePolicy(id: $id, document: $document) { version } }', {
      id: 'support',
      document: 'name: support\nscope: {team: support}\nmodels: {allow: ["llama-3.*"]}\n',
    });
    expect(updated.data!.updatePolicy.version).toBe(2);
    const deleted = await testApp.graphql<{ deletePolicy: { version: number; deleted: boolean } }>('mutation { deletePolicy(id: "support") { version deleted } }');
    expect(deleted.data!.deletePolicy).toEqual({ version: 3, deleted: true });
    const validation = await testApp.graphql<{ validatePolicy: { valid: boolean; problems: Array<{ field: string }> } }>(
      'query ($document: JSON!) { validatePolicy(document: $document) { valid problems { field } } }',
      { document: { name: 'x', scope: { node: 'gpu-1' }, quotas: [{ name: 'q', metric: 'tokens', limit: 1.5, period: 'week' }] } },
    );
    expect(validation.data!.validatePolicy).toEqual({ valid: false, problems: [{ field: 'quotas[0].limit' }, { field: 'quotas[0].period' }] });
  });

  it('applies policy files as the source of truth: created, updated, unchanged and invalid per file (policies:apply)', async () => {
    const service = testApp.app.get(PoliciesService);
    const fixture = (name: string) => ({ path: `policies/${name}`, text: fs.readFileSync(path.join(fixturesDirectory, 'policies', name), 'utf8') });
    const files = [fixture('claims.json'), fixture('org.yaml')];
    const first = await service.applyFiles(files, 'cli');
    expect(first).toEqual({
      files: [
        { path: 'policies/claims.json', name: 'claims', action: 'updated', version: 3 },
        { path: 'policies/org.yaml', name: 'org', action: 'created', version: 1 },
      ],
      deleted: [],
    });
    expect((await service.applyFiles(files, 'cli')).files.map((file) => file.action)).toEqual(['unchanged', 'unchanged']);
    expect((await call<VersionBody>(testApp, 'GET', '/api/v1/policies/org', admin)).body.createdBy).toBe('cli');

    const edited = { path: 'policies/org.yaml', text: files[1].text.replace('limit: 6000', 'limit: 7000') };
    const duplicate = { path: 'policies/org-copy.json', text: JSON.stringify({ name: 'org', scope: { org: true } }) };
    const broken = { path: 'policies/broken.yaml', text: 'name: broken\nscope: {team: x}\nretention: {requestsDays: 7}\npii: {detectors: {dna: mask}}\n' };
    const dryRun = await service.applyFiles([files[0], edited, broken], 'cli', { dryRun: true, prune: true });
    expect(dryRun.files).toEqual([
      { path: 'policies/claims.json', name: 'claims', action: 'unchanged', version: 3 },
      { path: 'policies/org.yaml', name: 'org', action: 'updated', version: 2 },
      { path: 'policies/broken.yaml', action: 'invalid', problems: [expect.objectContaining({ field: 'retention.requestsDays' }), expect.objectContaining({ field: 'pii.detectors.dna' })] },
    ]);
    expect(dryRun.deleted).toEqual([]);
    expect((await call<VersionBody>(testApp, 'GET', '/api/v1/policies/org', admin)).body.version).toBe(1);

    const withDuplicate = await service.applyFiles([edited, duplicate], 'cli');
    expect(withDuplicate.files.map((file) => [file.path, file.action])).toEqual([
      ['policies/org.yaml', 'invalid'],
      ['policies/org-copy.json', 'invalid'],
    ]);

    const pruned = await service.applyFiles([files[0], edited], 'cli', { prune: true });
    expect(pruned.files.map((file) => `${file.action} ${file.name}`)).toEqual(['unchanged claims', 'updated org']);
    expect(pruned.deleted.map((policy) => policy.name).sort()).toEqual(['legal', 'ops']);
    const remaining = await testApp.graphql<{ allPolicies: Array<{ id: string; version: number }> }>('{ allPolicies { id version } }');
    expect(remaining.data!.allPolicies).toEqual([
      { id: 'claims', version: 3 },
      { id: 'org', version: 2 },
    ]);
  });
});
