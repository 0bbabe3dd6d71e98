import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Field, ID, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../../server/src/app.module';
import { RequireSession } from '../../../../server/src/engine/auth/auth.decorators';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { AuditedByHandler } from '../../../../server/src/modules/audit/audited-by-handler.decorator';
import { TenancyService } from '../../../../server/src/modules/tenancy/tenancy.service';
import { login, testAdminPassword } from '../../../support/test-app';
import { startTestEngines, type TestEngines } from '../../../support/test-engines';

// The global mutation interceptor on the real app and engines, with a few mutations of the test's own beside the
// product's: one taking a password and a nested token (as createUser and key settings do), one whose handler records
// its own entry, and one that fails.

@InputType('AuditProbeSettings')
class ProbeSettings {
  @Field()
  label: string;

  @Field()
  apiToken: string;
}

@ObjectType('AuditProbeAccount')
class ProbeAccount {
  @Field(() => ID)
  id: string;
}

@Resolver()
class ProbeResolver {
  @RequireSession(['admin'])
  @Mutation(() => ProbeAccount)
  createProbeAccount(
    @Args('email') _email: string,
    @Args('team') _team: string,
    @Args('password') _password: string,
    @Args('settings', { type: () => ProbeSettings }) _settings: ProbeSettings,
  ): ProbeAccount {
    return { id: 'probe-account-1' };
  }

  @RequireSession(['admin'])
  @AuditedByHandler()
  @Mutation(() => Boolean)
  selfAuditedProbe(): boolean {
    return true;
  }

  @RequireSession(['admin'])
  @Mutation(() => Boolean)
  failingProbe(): boolean {
    throw new DomainError(ErrorCode.Validation, 'refused on purpose');
  }
}

@Module({ providers: [ProbeResolver] })
class ProbeModule {}

interface Entry {
  action: string;
  actor: string;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  team: string | null;
  details: Record<string, unknown>;
}

describe('every successful GraphQL mutation is recorded', () => {
  let engines: TestEngines;
  let app: INestApplication;
  let baseUrl: string;
  let token: string;

  const graphql = async <T,>(query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: Array<{ extensions?: { code?: string } }> };
  };
  const entriesOf = async (action: string) =>
    (await graphql<{ allAuditEntries: Entry[] }>(`query($action: String) { allAuditEntries(filter: {action: $action}) { action actor actorRole targetType targetId team details } }`, { action })).data!
      .allAuditEntries;

  beforeAll(async () => {
    engines = await startTestEngines({ WARDEN_ADMIN_PASSWORD: testAdminPassword });
    app = await NestFactory.create({ module: class ProbeApplication {}, imports: [AppModule.forHttp(engines), ProbeModule] }, { logger: ['error'] });
    await app.init();
    await app.get(TenancyService).bootstrap(() => undefined);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    token = (await login(baseUrl, 'admin@warden.local', testAdminPassword)).body.token as string;
  });
  afterAll(async () => {
    await app?.close();
    await engines?.close();
  });

  it('records the mutation with its caller, target and arguments, the password and token redacted', async () => {
    const password = 'S3cret-passw0rd-never-logged';
    const apiToken = 'tok_never_logged_0123456789';
    const answer = await graphql(
      `mutation($settings: AuditProbeSettings!) { createProbeAccount(email: "new@example.com", team: "claims", password: "${password}", settings: $settings) { id } }`,
      { settings: { label: 'nightly', apiToken } },
    );
    expect(answer.errors).toBeUndefined();
    const [entry] = await entriesOf('graphql.createProbeAccount');
    expect(entry).toEqual({
      action: 'graphql.createProbeAccount',
      actor: 'user:admin@warden.local',
      actorRole: 'admin',
      targetType: 'AuditProbeAccount',
      targetId: 'probe-account-1',
      team: 'claims',
      details: { mutation: 'createProbeAccount', arguments: { email: 'new@example.com', team: 'claims', password: '[REDACTED]', settings: { label: 'nightly', apiToken: '[REDACTED]' } } },
    });
    const stored = (await engines.postgres.query('SELECT row_to_json(audit_log)::text AS row FROM audit_log')) as Array<{ row: string }>;
    for (const { row } of stored) {
      expect(row).not.toContain(password);
      expect(row).not.toContain(apiToken);
    }
  });

  it('leaves out a mutation whose handler records its own entry, and a mutation that failed', async () => {
    expect((await graphql('mutation { selfAuditedProbe }')).errors).toBeUndefined();
    expect((await graphql('mutation { failingProbe }')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await entriesOf('graphql.selfAuditedProbe')).toEqual([]);
    expect(await entriesOf('graphql.failingProbe')).toEqual([]);
  });

  it('records queries never, and keeps the chain valid', async () => {
    await graphql('{ allAuditEntries { id } }');
    const actions = (await graphql<{ allAuditEntries: Entry[] }>('{ allAuditEntries(perPage: 100) { action } }')).data!.allAuditEntries.map((entry) => entry.action);
    expect(actions.filter((action) => action.startsWith('graphql.'))).toEqual(['graphql.createProbeAccount']);
    const verified = await graphql<{ verifyAuditChain: { valid: boolean } }>('{ verifyAuditChain { valid } }');
    expect(verified.data!.verifyAuditChain.valid).toBe(true);
  });
});
