/**
 * Grafana provisioning and dashboards: valid JSON, stable unique uids, every datasource a panel names is
 * provisioned, every metric a PromQL query names is one the exporter emits (per its golden files), and the
 * ClickHouse panels read the hourly rollup the way its SimpleAggregateFunction(sum) columns require.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DASHBOARDS = path.join(ROOT, 'grafana/dashboards');
const GOLDEN = path.join(__dirname, 'golden');

/** Dashboard uids are links people bookmark: they never change. */
const STABLE_UIDS: Readonly<Record<string, string>> = {
  'gpu-fleet.json': 'warden-gpu-fleet',
  'spend.json': 'warden-spend',
};

interface DataSourceRef {
  readonly type?: string;
  readonly uid?: string;
}
interface Target {
  readonly datasource?: DataSourceRef;
  readonly expr?: string;
  readonly rawSql?: string;
}
interface Panel {
  readonly title: string;
  readonly type: string;
  readonly datasource?: DataSourceRef;
  readonly targets?: Target[];
  readonly panels?: Panel[];
}
interface Variable {
  readonly name: string;
  readonly datasource?: DataSourceRef;
  readonly query?: string | { query: string };
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { list: Variable[] };
}

const dashboards = readdirSync(DASHBOARDS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard }));

const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
const variableQuery = (variable: Variable): string =>
  typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');

/** The uids of the provisioned datasources; the file is small and flat, so a line match reads it. */
const provisionedUids = new Map<string, string>();
{
  const yaml = readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/warden.yaml'), 'utf8');
  for (const block of yaml.split(/\n\s*-\s+name:/).slice(1)) {
    const uid = /^\s*uid:\s*(\S+)\s*$/m.exec(block)?.[1];
    const type = /^\s*type:\s*(\S+)\s*$/m.exec(block)?.[1];
    if (uid && type) provisionedUids.set(uid, type);
  }
}

/** Metric names the exporter emits, from every golden exposition. */
const emittedMetrics = new Set<string>();
for (const file of readdirSync(GOLDEN).filter((name) => name.endsWith('.prom'))) {
  for (const match of readFileSync(path.join(GOLDEN, file), 'utf8').matchAll(/^# TYPE (\S+) /gm)) emittedMetrics.add(match[1] as string);
}

describe('grafana provisioning', () => {
  it('provisions the Prometheus and ClickHouse datasources under their stable uids', () => {
    expect(provisionedUids.get('warden-prometheus')).toBe('prometheus');
    expect(provisionedUids.get('warden-clickhouse')).toBe('grafana-clickhouse-datasource');
    const yaml = readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/warden.yaml'), 'utf8');
    expect(yaml).toContain('url: http://prometheus:9090');
    expect(yaml).toMatch(/host: clickhouse\s+port: 8123\s+protocol: http\s+defaultDatabase: warden/);
  });

  it('loads dashboards from files in /var/lib/grafana/dashboards', () => {
    const yaml = readFileSync(path.join(ROOT, 'grafana/provisioning/dashboards/warden.yaml'), 'utf8');
    expect(yaml).toMatch(/type: file/);
    expect(yaml).toMatch(/path: \/var\/lib\/grafana\/dashboards/);
  });
});

describe('grafana dashboards', () => {
  it('have unique, stable uids', () => {
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, dashboard } of dashboards) expect(dashboard.uid, file).toBe(STABLE_UIDS[file]);
    expect(dashboards.map(({ file }) => file).sort()).toEqual(Object.keys(STABLE_UIDS).sort());
  });

  it('name only provisioned datasources, by uid and matching type', () => {
    for (const { file, dashboard } of dashboards) {
      const references = [
        ...allPanels(dashboard.panels).flatMap((panel) => [panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)]),
        ...dashboard.templating.list.map((variable) => variable.datasource),
      ].filter((reference): reference is DataSourceRef => reference !== undefined);
      expect(references.length, file).toBeGreaterThan(0);
      for (const reference of references) {
        expect(provisionedUids.has(reference.uid ?? ''), `${file}: datasource uid ${reference.uid}`).toBe(true);
        expect(reference.type, `${file}: datasource ${reference.uid}`).toBe(provisionedUids.get(reference.uid ?? ''));
      }
    }
  });

  it('query only metrics the exporter emits', () => {
    expect(emittedMetrics.has('warden_gpu_info')).toBe(true);
    for (const { file, dashboard } of dashboards) {
      const promql = [
        ...allPanels(dashboard.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? '')),
        ...dashboard.templating.list.filter((variable) => variable.datasource?.uid === 'warden-prometheus').map(variableQuery),
      ];
      for (const expression of promql) {
        for (const match of expression.matchAll(/\b(warden_[a-z0-9_]+)\b/g)) {
          expect(emittedMetrics.has(match[1] as string), `${file}: ${match[1]} in ${expression}`).toBe(true);
        }
      }
    }
  });

  it('GPU fleet: node and gpu variables from warden_gpu_info, and the panels an SRE needs', () => {
    const fleet = dashboards.find(({ file }) => file === 'gpu-fleet.json')?.dashboard as Dashboard;
    const variables = new Map(fleet.templating.list.map((variable) => [variable.name, variableQuery(variable)]));
    expect(variables.get('node')).toBe('label_values(warden_gpu_info, node)');
    expect(variables.get('gpu')).toMatch(/^label_values\(warden_gpu_info\{node=~"\$node"\}, gpu\)$/);
    const expressions = allPanels(fleet.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? '')).join('\n');
    for (const metric of [
      'warden_gpu_utilization_ratio',
      'warden_gpu_memory_used_bytes',
      'warden_gpu_memory_total_bytes',
      'warden_gpu_power_draw_watts',
      'warden_gpu_temperature_celsius',
      'warden_gpu_sm_clock_hertz',
      'warden_gpu_exporter_up',
    ]) {
      expect(expressions).toContain(metric);
    }
  });

  it('spend: ClickHouse SQL over warden.requests_hourly with $__timeFilter(hour), the team filter, and sum() of every rollup column', () => {
    const spend = dashboards.find(({ file }) => file === 'spend.json')?.dashboard as Dashboard;
    expect(spend.templating.list.map((variable) => variable.name)).toContain('team');
    const queries = allPanels(spend.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.rawSql ?? ''));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query).toContain('FROM warden.requests_hourly');
      expect(query).toContain('$__timeFilter(hour)');
      expect(query).toContain('team IN (${team:singlequote})');
      // Rollup rows for one hour may not be merged yet: a bare column would count a partial row.
      const withoutAliases = query.replace(/\bAS\s+\w+/gi, '');
      for (const column of ['requests', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cost_nano_usd', 'unpriced_requests']) {
        for (const match of withoutAliases.matchAll(new RegExp(`\\b${column}\\b`, 'g'))) {
          const before = withoutAliases.slice(Math.max(0, (match.index ?? 0) - 4), match.index);
          expect(before, `${column} outside sum() in:\n${query}`).toBe('sum(');
        }
      }
    }
    // Nano-USD become dollars in the query, once.
    expect(queries.filter((query) => query.includes('cost_nano_usd')).every((query) => query.includes('sum(cost_nano_usd) / 1e9'))).toBe(true);
  });
});
