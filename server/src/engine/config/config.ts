import { z } from 'zod';
import * as path from 'node:path';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`)
    .optional();

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().trim().min(1).default('./.warden'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  CLICKHOUSE_URL: optionalUrl(['http:', 'https:']),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier').default('warden'),
  CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a cluster name').optional(),
  CLICKHOUSE_REPLICATED: z.enum(['true', 'false']).default('false'),
  CLICKHOUSE_SHARDED: z.enum(['true', 'false']).default('false'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  WARDEN_ADMIN_EMAIL: z.email().default('admin@warden.local'),
  WARDEN_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  WARDEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WARDEN_INGEST_KEY: z.string().regex(/^[A-Za-z0-9_-]{24,}$/, 'must be 24+ characters of [A-Za-z0-9_-]').optional(),
  WARDEN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  WARDEN_RETENTION_FLOOR_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  WARDEN_QUOTA_HOLD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  WARDEN_QUOTA_FAILURE_MODE: z.enum(['closed', 'open']).default('closed'),
  WARDEN_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  WARDEN_WRITER_BATCH_ROWS: z.coerce.number().int().min(1).default(20_000),
  WARDEN_WRITER_FLUSH_MS: z.coerce.number().int().min(1).default(15),
  WARDEN_WRITER_MAX_PENDING_ROWS: z.coerce.number().int().min(1000).default(200_000),
  WARDEN_SCORES_AUTO_DEFINE: z.enum(['true', 'false']).default('false'),
  WARDEN_NODE_HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  WARDEN_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(8 * 1024 * 1024),
  WARDEN_GATEWAY_UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  WARDEN_AGENT_SILENT_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(90),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type WardenConfig = Readonly<{
  port: number;
  dataDir: string;
  databaseUrl?: string;
  clickhouse: Readonly<{ url?: string; database: string; cluster?: string; replicated: boolean; sharded: boolean }>;
  redisUrl?: string;
  admin: Readonly<{ email: string; password?: string }>;
  secret?: string;
  ingestKey?: string;
  retentionDays: number;
  /** No policy may keep request rows for fewer days (policies name it when refused). */
  retentionFloorDays: number;
  /**
   * Quota reservations: how long a hold lasts before it lapses, and what a decision does when the counters (Redis)
   * cannot be reached while a hard quota applies: refuse ('closed', the default) or admit uncounted ('open').
   */
  quotas: Readonly<{ holdSeconds: number; failureMode: 'closed' | 'open' }>;
  maxBodyBytes: number;
  writer: Readonly<{ batchRows: number; flushIntervalMs: number; maxPendingRows: number }>;
  /** autoDefine: a score whose name has no definition defines one from its value instead of being refused. */
  scores: Readonly<{ autoDefine: boolean }>;
  /**
   * The gateway: largest request body, how long a node may take to send its headers (and then between two bytes)
   * before the request is answered 504, and how often nodes are health-checked.
   */
  gateway: Readonly<{ maxBodyBytes: number; upstreamTimeoutMs: number; healthIntervalMs: number }>;
  /** silentAfterSeconds: a node agent that reported once and not for this long is flagged silent. */
  nodeAgents: Readonly<{ silentAfterSeconds: number }>;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, naming every bad variable in one error rather than failing on the first. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): WardenConfig {
  // Empty strings are treated as unset: `FOO= npm start` must not mean "FOO is the empty string".
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // With a shared Postgres, several servers sign and check each other's sessions: a secret generated into one
  // server's DATA_DIR would log users out whenever another server answers.
  if (present.DATABASE_URL && !present.WARDEN_SECRET) {
    problems.push('WARDEN_SECRET: required when DATABASE_URL is set (32+ random characters, the same on every server)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  if (env.CLICKHOUSE_SHARDED === 'true' && (!env.CLICKHOUSE_CLUSTER || !env.CLICKHOUSE_URL)) {
    throw new ConfigError(['CLICKHOUSE_SHARDED: a sharded install needs CLICKHOUSE_URL and CLICKHOUSE_CLUSTER (the embedded engine has no shards)']);
  }
  return {
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    clickhouse: {
      url: env.CLICKHOUSE_URL,
      database: env.CLICKHOUSE_DATABASE,
      cluster: env.CLICKHOUSE_CLUSTER,
      replicated: env.CLICKHOUSE_REPLICATED === 'true',
      sharded: env.CLICKHOUSE_SHARDED === 'true',
    },
    redisUrl: env.REDIS_URL,
    admin: { email: env.WARDEN_ADMIN_EMAIL, password: env.WARDEN_ADMIN_PASSWORD },
    secret: env.WARDEN_SECRET,
    ingestKey: env.WARDEN_INGEST_KEY,
    retentionDays: env.WARDEN_RETENTION_DAYS,
    retentionFloorDays: env.WARDEN_RETENTION_FLOOR_DAYS,
    quotas: { holdSeconds: env.WARDEN_QUOTA_HOLD_SECONDS, failureMode: env.WARDEN_QUOTA_FAILURE_MODE },
    maxBodyBytes: env.WARDEN_MAX_BODY_BYTES,
    writer: { batchRows: env.WARDEN_WRITER_BATCH_ROWS, flushIntervalMs: env.WARDEN_WRITER_FLUSH_MS, maxPendingRows: env.WARDEN_WRITER_MAX_PENDING_ROWS },
    scores: { autoDefine: env.WARDEN_SCORES_AUTO_DEFINE === 'true' },
    gateway: {
      maxBodyBytes: env.WARDEN_GATEWAY_MAX_BODY_BYTES,
      upstreamTimeoutMs: env.WARDEN_GATEWAY_UPSTREAM_TIMEOUT_SECONDS * 1000,
      healthIntervalMs: env.WARDEN_NODE_HEALTH_INTERVAL_SECONDS * 1000,
    },
    nodeAgents: { silentAfterSeconds: env.WARDEN_AGENT_SILENT_AFTER_SECONDS },
    logLevel: env.LOG_LEVEL,
  };
}

/** The config as it may be shown or logged: secrets and URL passwords masked. */
export function describeConfig(config: WardenConfig): Record<string, string> {
  const maskUrl = (value?: string) => {
    if (!value) return 'embedded';
    const url = new URL(value);
    if (url.password) url.password = '****';
    return url.toString();
  };
  return {
    port: String(config.port),
    dataDir: config.dataDir,
    postgres: maskUrl(config.databaseUrl),
    clickhouse: maskUrl(config.clickhouse.url),
    queue: config.redisUrl ? maskUrl(config.redisUrl) : 'inline (in-process)',
    adminEmail: config.admin.email,
    secret: config.secret ? '****' : 'generated, kept in DATA_DIR',
    ingestKey: config.ingestKey ? '****' : 'generated on first start',
  };
}
