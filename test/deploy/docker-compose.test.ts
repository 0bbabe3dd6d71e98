import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool } from '../support/tool-availability';
import { repositoryRoot } from '../support/test-engines';

const compose = findTool([['docker', 'compose'], ['docker-compose']], 'install Docker Compose (Debian: apt-get install -y docker-compose)', 'version');

function composeConfig(environment: Record<string, string>) {
  const result = spawnSync(compose![0], [...compose!.slice(1), 'config'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** What a compose file needs to render: the two values it refuses to default. */
const required = { WARDEN_SECRET: 'a'.repeat(40), GRAFANA_ADMIN_PASSWORD: 'grafana-admin-from-env' };

/** One service's block of `compose config` output (the indented lines under its name). */
function serviceBlock(output: string, service: string): string {
  return new RegExp(`^ {2}${service}:\\n((?: {4}.*\\n)+)`, 'm').exec(output)?.[1] ?? '';
}

describe.skipIf(!compose)('docker-compose.yml', () => {
  it('is valid and wires server and worker to Postgres, ClickHouse and Redis', () => {
    const { status, output } = composeConfig(required);
    expect(status, output).toBe(0);
    for (const service of ['postgres', 'clickhouse', 'redis', 'server', 'worker']) expect(output).toMatch(new RegExp(`^  ${service}:`, 'm'));
    expect(output).toContain('DATABASE_URL: postgresql://warden:warden@postgres:5432/warden');
    expect(output).toContain('CLICKHOUSE_URL: http://default:warden@clickhouse:8123');
    expect(output).toContain('REDIS_URL: redis://redis:6379');
    expect(output).toMatch(/worker\.js/);
  });

  it('adds the GPU exporter with the NVIDIA runtime, Prometheus scraping it and the server, and provisioned Grafana', () => {
    const { status, output } = composeConfig({ ...required, WARDEN_INGEST_KEY: 'wk_compose_test_key_0123456789' });
    expect(status, output).toBe(0);
    for (const service of ['gpu-exporter', 'prometheus', 'grafana']) expect(output).toMatch(new RegExp(`^  ${service}:`, 'm'));
    const exporter = /^ {2}gpu-exporter:\n((?: {4}.*\n)+)/m.exec(output)?.[1] ?? '';
    expect(exporter).toMatch(/collectors\/bin\/warden-gpu-exporter\.js/);
    expect(exporter).toMatch(/--push-url\n\s+- http:\/\/server:4000\/api\/v1\/ingest\/gpu/);
    expect(exporter).toMatch(/driver: nvidia/);
    expect(exporter).toMatch(/capabilities:\n\s+- gpu/);
    expect(exporter).toContain('WARDEN_INGEST_KEY: wk_compose_test_key_0123456789');
    const grafana = /^ {2}grafana:\n((?: {4}.*\n)+)/m.exec(output)?.[1] ?? '';
    expect(grafana).toContain('GF_INSTALL_PLUGINS: grafana-clickhouse-datasource');
    expect(grafana).toMatch(/grafana\/provisioning:\/etc\/grafana\/provisioning/);
    expect(grafana).toMatch(/grafana\/dashboards:\/var\/lib\/grafana\/dashboards/);
    expect(output).toMatch(/grafana\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/);

    // Prometheus scrapes the exporter on 9835 and the server's /metrics, by the compose service names.
    const prometheus = fs.readFileSync(path.join(repositoryRoot, 'grafana/prometheus.yml'), 'utf8');
    expect(prometheus).toContain('"gpu-exporter:9835"');
    expect(prometheus).toContain('"server:4000"');
    expect(prometheus).toMatch(/metrics_path: \/metrics/);
    // The datasource Grafana provisions points at the compose Prometheus.
    const datasources = fs.readFileSync(path.join(repositoryRoot, 'grafana/provisioning/datasources/warden.yaml'), 'utf8');
    expect(datasources).toContain('url: http://prometheus:9090');
  });

  it('names only environment variables the server understands', () => {
    const source = fs.readFileSync(path.join(repositoryRoot, 'docker-compose.yml'), 'utf8');
    const anchor = /x-warden-environment: &warden-environment\n((?: {2}\S.*\n)+)/.exec(source);
    expect(anchor).not.toBeNull();
    const names = [...anchor![1].matchAll(/^ {2}([A-Z_]+):/gm)].map((match) => match[1]);
    const config = fs.readFileSync(path.join(repositoryRoot, 'server/src/engine/config/config.ts'), 'utf8');
    for (const name of names) expect(config, `${name} is not read by server/src/engine/config/config.ts`).toContain(`${name}:`);
  });

  it('refuses to render without WARDEN_SECRET, saying what to set', () => {
    const { status, output } = composeConfig({ GRAFANA_ADMIN_PASSWORD: required.GRAFANA_ADMIN_PASSWORD });
    expect(status).not.toBe(0);
    expect(output).toContain('set WARDEN_SECRET');
  });

  it("requires Grafana's admin password from the environment: no admin/admin", () => {
    const missing = composeConfig({ WARDEN_SECRET: required.WARDEN_SECRET });
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('set GRAFANA_ADMIN_PASSWORD');
    const { status, output } = composeConfig(required);
    expect(status, output).toBe(0);
    const grafana = serviceBlock(output, 'grafana');
    expect(grafana).toContain('GF_SECURITY_ADMIN_PASSWORD: grafana-admin-from-env');
    expect(grafana).toMatch(/GF_AUTH_ANONYMOUS_ENABLED: .?false/);
    const source = fs.readFileSync(path.join(repositoryRoot, 'docker-compose.yml'), 'utf8');
    expect(source).not.toMatch(/GRAFANA_ADMIN_PASSWORD:-/);
  });

  it('has Grafana read ClickHouse as a read-only user allowed only the rollup tables', () => {
    const { status, output } = composeConfig({ ...required, CLICKHOUSE_GRAFANA_PASSWORD: 'reader-secret', CLICKHOUSE_PASSWORD: 'default-secret' });
    expect(status, output).toBe(0);
    // ClickHouse gets the user definition and its password; Grafana gets that password, never the default user's.
    const clickhouse = serviceBlock(output, 'clickhouse');
    expect(clickhouse).toMatch(/grafana\/clickhouse\/grafana-reader\.xml:\/etc\/clickhouse-server\/users\.d\/grafana-reader\.xml:ro/);
    expect(clickhouse).toContain('CLICKHOUSE_GRAFANA_PASSWORD: reader-secret');
    const grafana = serviceBlock(output, 'grafana');
    expect(grafana).toContain('CLICKHOUSE_GRAFANA_PASSWORD: reader-secret');
    expect(grafana).not.toContain('default-secret');
    expect(grafana).not.toMatch(/CLICKHOUSE_PASSWORD:/);

    const datasources = fs.readFileSync(path.join(repositoryRoot, 'grafana/provisioning/datasources/warden.yaml'), 'utf8');
    const clickhouseSource = datasources.slice(datasources.indexOf('type: grafana-clickhouse-datasource'));
    expect(clickhouseSource).toMatch(/^\s+username: grafana$/m);
    expect(clickhouseSource).toMatch(/^\s+password: \$\{CLICKHOUSE_GRAFANA_PASSWORD\}$/m);

    const reader = fs.readFileSync(path.join(repositoryRoot, 'grafana/clickhouse/grafana-reader.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const user = /<users>\s*<grafana>([\s\S]*?)<\/grafana>\s*<\/users>/.exec(reader)?.[1] ?? '';
    expect(user).toContain('<password from_env="CLICKHOUSE_GRAFANA_PASSWORD"/>');
    const profile = /<profile>(\w+)<\/profile>/.exec(user)?.[1];
    expect(reader).toMatch(new RegExp(`<${profile}>[\\s\\S]*<readonly>[12]</readonly>[\\s\\S]*</${profile}>`));
    const grants = [...user.matchAll(/<query>([^<]+)<\/query>/g)].map((match) => match[1]);
    expect(grants).toEqual(['GRANT SELECT ON warden.requests_hourly*', 'GRANT SELECT ON warden.gpu_samples_1m', 'GRANT SELECT ON warden.gpu_samples_1h']);
    // Nothing else: no access management, no database-wide or raw-table grant.
    expect(user).not.toMatch(/access_management|allow_databases|named_collection/);

    // Every table a provisioned dashboard reads from ClickHouse is one the reader may read.
    const granted = grants.map((grant) => new RegExp(`^${grant.replace('GRANT SELECT ON ', '').replace('.', '\\.').replace('*', '\\w*')}$`));
    for (const file of fs.readdirSync(path.join(repositoryRoot, 'grafana/dashboards'))) {
      const dashboard = fs.readFileSync(path.join(repositoryRoot, 'grafana/dashboards', file), 'utf8');
      for (const [, table] of dashboard.matchAll(/\bFROM\s+([a-z_]+\.[a-z0-9_]+)/gi)) {
        expect(granted.some((pattern) => pattern.test(table)), `${file} reads ${table}`).toBe(true);
      }
    }
    expect(granted.some((pattern) => pattern.test('warden.requests'))).toBe(false);
  });
});
