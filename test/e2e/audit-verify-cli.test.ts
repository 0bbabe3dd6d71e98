import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/engine/config/config';
import { startEngines, type Engines } from '../../server/src/engine/engines';
import { postgresEntities } from '../../server/src/entities';
import { AuditRepository } from '../../server/src/modules/audit/audit.repository';
import { AuditService } from '../../server/src/modules/audit/audit.service';
import { createScratchDatabase, repositoryRoot, temporaryDirectory, testSigningSecret } from '../support/test-engines';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run audit:verify` as an operator runs it: scripts/start.mjs builds the server if stale, then runs the CLI. */
function runAuditVerify(environment: Record<string, string>, args: string[] = []): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...environment };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'CLICKHOUSE_URL']) if (!(name in environment)) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'scripts/start.mjs'), '--audit-verify', ...args], { cwd: repositoryRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run audit:verify', { timeout: 120_000 }, () => {
  const dataDir = temporaryDirectory('audit-cli');
  const environment: Record<string, string> = { DATA_DIR: dataDir };
  let dropDatabase: (() => Promise<void>) | undefined;
  const written: Array<{ id: string; sequence: string }> = [];

  /** The stores as the CLI will find them, opened in this process and closed again (embedded stores lock DATA_DIR). */
  const withStores = async (work: (engines: Engines, audit: AuditService) => Promise<void>) => {
    const engines = await startEngines(loadConfig(environment), { log: () => undefined, error: (line) => console.error(line) }, postgresEntities);
    try {
      await work(engines, new AuditService(new AuditRepository(engines.postgres)));
    } finally {
      await engines.close();
    }
  };

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const scratch = await createScratchDatabase(process.env.DATABASE_URL);
      environment.DATABASE_URL = scratch.url;
      environment.WARDEN_SECRET = testSigningSecret;
      dropDatabase = scratch.drop;
    }
    // The first run builds the server when its output is stale (as `npm run audit:verify` does): a usage error
    // then exits before touching any store.
    const warmUp = await runAuditVerify(environment, ['--frobnicate']);
    expect(warmUp.code, warmUp.stderr).toBe(2);
    await withStores(async (_engines, audit) => {
      for (let index = 0; index < 5; index += 1) {
        written.push(await audit.record({ action: 'team.create', actor: 'user:admin@example.com', actorRole: 'admin', targetType: 'team', targetId: `team-${index}` }));
      }
    });
  });
  afterAll(async () => {
    await dropDatabase?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 on a valid chain, prints the rows verified, and records the check', async () => {
    const run = await runAuditVerify(environment);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Verifying the audit chain');
    expect(run.stdout).toMatch(/Audit chain valid: 5 row\(s\) verified/);
    await withStores(async (engines) => {
      const rows = (await engines.postgres.query(`SELECT action, actor, details FROM audit_log WHERE sequence = 6`)) as Array<{ action: string; actor: string; details: { valid: boolean } }>;
      expect(rows[0]).toMatchObject({ action: 'audit.verify', actor: 'system', details: { valid: true } });
    });
  });

  it('exits 1 on a row altered in the database, naming its sequence and id', async () => {
    await withStores(async (engines) => {
      await engines.postgres.query(`UPDATE audit_log SET details = '{"forged": true}'::jsonb WHERE sequence = 3`);
    });
    const run = await runAuditVerify(environment);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(`Audit chain BROKEN at sequence 3 (id ${written[2].id})`);
    const json = await runAuditVerify(environment, ['--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim().split('\n').pop()!)).toMatchObject({ valid: false, checkedRows: 2, firstBrokenSequence: '3', firstBrokenId: written[2].id });
  });

  it('exits 1 on a deleted row, naming it', async () => {
    await withStores(async (engines) => {
      await engines.postgres.query(`UPDATE audit_log SET details = NULL WHERE sequence = 3`);
      await engines.postgres.query(`DELETE FROM audit_log WHERE sequence = 2`);
    });
    const run = await runAuditVerify(environment);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Audit chain BROKEN at sequence 2 (id ${written[1].id})`);
  });

  it('exits 2 on a usage error', async () => {
    const run = await runAuditVerify(environment, ['--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: npm run audit:verify');
  });
});
