import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/test-engines';

describe('npm run worker', () => {
  it('refuses to start on the embedded engines, naming each missing server', () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379' };
    delete environment.DATABASE_URL;
    delete environment.CLICKHOUSE_URL;
    const result = spawnSync('npm', ['run', 'worker', '--silent'], { cwd: repositoryRoot, env: environment, encoding: 'utf8', timeout: 170_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLICKHOUSE_URL: a separate worker needs a ClickHouse server');
    expect(result.stderr).toContain('DATABASE_URL: a separate worker needs a Postgres server');
  });

  it('names every bad variable at once when the configuration is wrong', () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', PORT: 'eighty', CLICKHOUSE_URL: 'ftp://nowhere' };
    const result = spawnSync('npm', ['run', 'worker', '--silent'], { cwd: repositoryRoot, env: environment, encoding: 'utf8', timeout: 170_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/CLICKHOUSE_URL: must be a URL/);
  });
});
