import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerAsUser, type StartedServer } from '../support/started-server';
import { fixturesDirectory, repositoryRoot, temporaryDirectory } from '../support/test-engines';

const catalogFile = path.join(fixturesDirectory, 'data/default-model-prices.json');

/** A command run as a user runs it, on the embedded engines in `dataDir`. */
function runAsUser(args: string[], dataDir: string) {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'CLICKHOUSE_URL', 'WARDEN_ADMIN_PASSWORD', 'WARDEN_INGEST_KEY']) delete environment[name];
  return spawnSync('npm', [...args.slice(0, 2), '--silent', ...args.slice(2)], { cwd: repositoryRoot, env: environment, encoding: 'utf8', timeout: 170_000 });
}

describe('a DATA_DIR that a running server holds', () => {
  const dataDir = temporaryDirectory('held');
  let server: StartedServer;
  let holderPid: number;
  beforeAll(async () => {
    server = await startServerAsUser({ DATA_DIR: dataDir });
    holderPid = (JSON.parse(fs.readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')) as { pid: number }).pid;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('npm run prices:import refuses to open it, naming the holder', () => {
    const result = runAsUser(['run', 'prices:import', '--', catalogFile], dataDir);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`DATA_DIR ${dataDir} is in use by process ${holderPid} `);
    expect(result.stdout).not.toContain('Imported');
    // The server is untouched and still answers.
    return fetch(`${server.baseUrl}/healthz`).then((response) => expect(response.status).toBe(200));
  });

  it('a second npm start exits with the same message', () => {
    const result = runAsUser(['run', 'start'], dataDir);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`DATA_DIR ${dataDir} is in use by process ${holderPid} `);
  });

  it('prices:import refuses an impossible --effective-from before touching anything', () => {
    const result = runAsUser(['run', 'prices:import', '--', catalogFile, '--effective-from', '2026-02-30'], dataDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--effective-from "2026-02-30": February 2026 has no day 30');
  });
});
