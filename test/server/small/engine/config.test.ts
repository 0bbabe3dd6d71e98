import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../../../server/src/engine/config/config';

function configErrorOf(environment: Record<string, string>): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(environment)}`);
}

describe('loadConfig', () => {
  it('gives the documented defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 4000,
      dataDir: path.resolve('./.warden'),
      databaseUrl: undefined,
      clickhouse: { url: undefined, database: 'warden', cluster: undefined, replicated: false, sharded: false },
      redisUrl: undefined,
      admin: { email: 'admin@warden.local', password: undefined },
      secret: undefined,
      ingestKey: undefined,
      retentionDays: 365,
      retentionFloorDays: 180,
      quotas: { holdSeconds: 600, failureMode: 'closed' },
      maxBodyBytes: 20 * 1024 * 1024,
      writer: { batchRows: 20_000, flushIntervalMs: 15, maxPendingRows: 200_000 },
      scores: { autoDefine: false },
      gateway: { maxBodyBytes: 8 * 1024 * 1024, upstreamTimeoutMs: 120_000, healthIntervalMs: 30_000 },
      nodeAgents: { silentAfterSeconds: 90 },
      logLevel: 'log',
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/warden',
      DATABASE_URL: 'postgresql://warden:pw@db:5432/warden',
      CLICKHOUSE_URL: 'https://ch.example.com:8443',
      CLICKHOUSE_DATABASE: 'observability',
      CLICKHOUSE_CLUSTER: 'main_cluster',
      CLICKHOUSE_REPLICATED: 'true',
      REDIS_URL: 'rediss://cache:6380',
      WARDEN_ADMIN_EMAIL: 'root@example.com',
      WARDEN_ADMIN_PASSWORD: 'long enough password',
      WARDEN_SECRET: 'x'.repeat(32),
      WARDEN_INGEST_KEY: 'wk_abcdefghijklmnopqrstuvwxyz',
      WARDEN_RETENTION_DAYS: '30',
      WARDEN_WRITER_BATCH_ROWS: '500',
      WARDEN_WRITER_FLUSH_MS: '10',
      WARDEN_WRITER_MAX_PENDING_ROWS: '5000',
      CLICKHOUSE_SHARDED: 'true',
      WARDEN_SCORES_AUTO_DEFINE: 'true',
      WARDEN_AGENT_SILENT_AFTER_SECONDS: '30',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/warden',
      databaseUrl: 'postgresql://warden:pw@db:5432/warden',
      clickhouse: { url: 'https://ch.example.com:8443', database: 'observability', cluster: 'main_cluster', replicated: true, sharded: true },
      redisUrl: 'rediss://cache:6380',
      admin: { email: 'root@example.com', password: 'long enough password' },
      retentionDays: 30,
      writer: { batchRows: 500, flushIntervalMs: 10, maxPendingRows: 5000 },
      scores: { autoDefine: true },
      nodeAgents: { silentAfterSeconds: 30 },
      logLevel: 'debug',
    });
  });

  it('refuses a sharded install without a ClickHouse server and a cluster, naming the variable', () => {
    expect(configErrorOf({ CLICKHOUSE_SHARDED: 'true' }).problems).toEqual([
      'CLICKHOUSE_SHARDED: a sharded install needs CLICKHOUSE_URL and CLICKHOUSE_CLUSTER (the embedded engine has no shards)',
    ]);
  });

  it('names every bad variable in one error', () => {
    const error = configErrorOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://cache', WARDEN_SECRET: 'short' });
    const named = error.problems.map((problem) => problem.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_URL', 'PORT', 'REDIS_URL', 'WARDEN_SECRET']);
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('DATABASE_URL: must be a URL starting with postgres:// or postgresql://');
    expect(error.message).toContain('WARDEN_SECRET: must be at least 32 characters');
  });

  it('refuses out-of-range numbers and unknown enum values', () => {
    const error = configErrorOf({ PORT: '70000', WARDEN_RETENTION_DAYS: '0', LOG_LEVEL: 'chatty', CLICKHOUSE_REPLICATED: 'yes', CLICKHOUSE_DATABASE: 'drop table' });
    expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
      ['CLICKHOUSE_DATABASE', 'CLICKHOUSE_REPLICATED', 'LOG_LEVEL', 'PORT', 'WARDEN_RETENTION_DAYS'],
    );
  });

  it('reads the policy settings and names bad ones', () => {
    expect(loadConfig({ WARDEN_RETENTION_FLOOR_DAYS: '90', WARDEN_QUOTA_HOLD_SECONDS: '30', WARDEN_QUOTA_FAILURE_MODE: 'open' })).toMatchObject({
      retentionFloorDays: 90,
      quotas: { holdSeconds: 30, failureMode: 'open' },
    });
    const error = configErrorOf({ WARDEN_RETENTION_FLOOR_DAYS: '0', WARDEN_QUOTA_HOLD_SECONDS: 'forever', WARDEN_QUOTA_FAILURE_MODE: 'sometimes' });
    expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['WARDEN_QUOTA_FAILURE_MODE', 'WARDEN_QUOTA_HOLD_SECONDS', 'WARDEN_RETENTION_FLOOR_DAYS']);
  });

  it('requires WARDEN_SECRET when DATABASE_URL is set, naming it with the other bad variables', () => {
    const error = configErrorOf({ DATABASE_URL: 'postgresql://warden:pw@db:5432/warden', PORT: 'abc' });
    expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['PORT', 'WARDEN_SECRET']);
    expect(error.message).toContain('WARDEN_SECRET: required when DATABASE_URL is set');
    expect(configErrorOf({ DATABASE_URL: 'postgresql://db/warden', WARDEN_SECRET: '' }).problems).toEqual([
      'WARDEN_SECRET: required when DATABASE_URL is set (32+ random characters, the same on every server)',
    ]);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/warden', WARDEN_SECRET: 'x'.repeat(32) }).secret).toBe('x'.repeat(32));
    // Embedded Postgres: the secret may still be generated into DATA_DIR.
    expect(loadConfig({}).secret).toBeUndefined();
  });

  it('treats an empty string as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', REDIS_URL: '', WARDEN_SECRET: '', WARDEN_ADMIN_EMAIL: '' });
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.secret).toBeUndefined();
    expect(config.admin.email).toBe('admin@warden.local');
  });
});

describe('describeConfig', () => {
  it('masks URL passwords and secrets and keeps everything else readable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://warden:db-password-1@db:5432/warden',
      CLICKHOUSE_URL: 'http://default:ch-password-2@clickhouse:8123',
      REDIS_URL: 'redis://:redis-password-3@cache:6379',
      WARDEN_SECRET: 'signing-secret-4-that-is-long-enough',
      WARDEN_INGEST_KEY: 'wk_ingest_key_5_abcdefghijklmnop',
      WARDEN_ADMIN_PASSWORD: 'admin-password-6',
    });
    const described = describeConfig(config);
    const shown = JSON.stringify(described);
    for (const secret of ['db-password-1', 'ch-password-2', 'redis-password-3', 'signing-secret-4', 'wk_ingest_key_5', 'admin-password-6']) {
      expect(shown).not.toContain(secret);
    }
    expect(described.postgres).toBe('postgresql://warden:****@db:5432/warden');
    expect(described.clickhouse).toBe('http://default:****@clickhouse:8123/');
    expect(described.queue).toBe('redis://:****@cache:6379');
    expect(described.secret).toBe('****');
    expect(described.ingestKey).toBe('****');
  });

  it('says which engines are embedded', () => {
    const described = describeConfig(loadConfig({}));
    expect(described).toMatchObject({
      port: '4000',
      postgres: 'embedded',
      clickhouse: 'embedded',
      queue: 'inline (in-process)',
      secret: 'generated, kept in DATA_DIR',
      ingestKey: 'generated on first start',
    });
  });
});
