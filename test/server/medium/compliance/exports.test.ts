import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseTime } from '../../../../server/src/engine/clickhouse/clickhouse-time';
import { startTestApp, type SignedInUser, type TestApp } from '../../../support/test-app';
import { unique } from '../policies/policy-test-support';
import { ingest, waitForJob } from './compliance-support';

const createExport = `mutation ($kind: ExportKind!, $from: DateTime!, $to: DateTime!, $teams: [String!], $includeContent: Boolean) {
  createExport(kind: $kind, from: $from, to: $to, teams: $teams, includeContent: $includeContent) { id state fileName includeContent }
}`;
const exportQuery = `query ($id: ID!) { Export(id: $id) { id kind state progress rows bytes fileName downloadUrl includeContent error
  chainVerification { valid checkedRows } } }`;

interface ExportRow {
  id: string;
  state: string;
  rows: number;
  bytes: number;
  downloadUrl: string | null;
  fileName: string;
  includeContent: boolean;
  chainVerification: { valid: boolean; checkedRows: number } | null;
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) if (line.length > 0) lines += 1;
  return lines;
}

// Auditor exports on real engines, written by the queued job (inline, or BullMQ with REDIS_URL) page by page.
describe('auditor exports', () => {
  let testApp: TestApp;
  let compliance: SignedInUser;
  const team = unique('claims');
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);

  async function runExport(variables: Record<string, unknown>, token = compliance.token): Promise<ExportRow> {
    const created = await testApp.graphql<{ createExport: { id: string } }>(createExport, variables, token);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createExport.id;
    expect((await waitForJob(testApp, id, token, 600_000)).state).toBe('completed');
    const answer = await testApp.graphql<{ Export: ExportRow }>(exportQuery, { id }, token);
    expect(answer.errors).toBeUndefined();
    return answer.data!.Export;
  }

  async function download(row: ExportRow, token = compliance.token): Promise<Response> {
    return fetch(`${testApp.baseUrl}${row.downloadUrl ?? `/api/v1/exports/${row.id}/download`}`, { headers: { authorization: `Bearer ${token}` } });
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    compliance = await testApp.signIn('compliance');
    await ingest(testApp, [
      { id: 'r1', team, timestamp: new Date(hour.getTime() + 60_000).toISOString(), model: 'gpt-4o-mini', provider: 'openai', inputTokens: 3, outputTokens: 4, prompt: '=cmd|calc', completion: 'says "hi", twice' },
      { id: 'r2', team, timestamp: new Date(hour.getTime() + 120_000).toISOString(), model: 'gpt-4o-mini', provider: 'openai', inputTokens: 5, outputTokens: 6, prompt: 'second', completion: 'line\nbreak' },
    ]);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const range = () => ({ from: new Date(hour.getTime() - 3_600_000).toISOString(), to: new Date(hour.getTime() + 3_600_000).toISOString() });

  it('writes requests as CSV with content for compliance, escaped, and downloads it with the session', async () => {
    const row = await runExport({ kind: 'REQUESTS', ...range(), teams: [team] });
    expect(row).toMatchObject({ state: 'completed', rows: 2, includeContent: true, downloadUrl: `/api/v1/exports/${row.id}/download` });
    const response = await download(row);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${row.fileName}"`);
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['id', 'timestamp', 'team']);
    expect(lines[0].endsWith('prompt,completion')).toBe(true);
    expect(text).toContain(`"'=cmd|calc","says ""hi"", twice"`);
    expect(text).toContain('"line\nbreak"');
    expect(text.length).toBe(row.bytes);

    const metadataOnly = await runExport({ kind: 'REQUESTS', ...range(), teams: [team], includeContent: false });
    expect(metadataOnly.includeContent).toBe(false);
    const metadataText = await (await download(metadataOnly)).text();
    expect(metadataText).not.toContain('prompt');
    expect(metadataText).not.toContain('calc');
  });

  it('writes decisions, the audit log with its chain verification, and a printable report', async () => {
    const decisions = await runExport({ kind: 'DECISIONS', ...range() });
    expect((await (await download(decisions)).text()).startsWith('time,decision_id,team')).toBe(true);

    const audit = await runExport({ kind: 'AUDIT', from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    expect(audit.chainVerification?.valid).toBe(true);
    const auditText = await (await download(audit)).text();
    expect(auditText).toContain('export.create');
    expect(auditText).toMatch(/# chain verification: valid=true checkedRows=\d+/);

    const report = await runExport({ kind: 'REPORT', ...range(), teams: [team] });
    const response = await download(report);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('<h1>Compliance report</h1>');
    expect(html).toContain('Chain intact');
    expect(html).toContain(team);
    expect(html).toContain('<svg');
  });

  it('refuses the roles that may not export or download, and an unknown export', async () => {
    const row = await runExport({ kind: 'DECISIONS', ...range() });
    for (const role of ['finance', 'sre', 'viewer'] as const) {
      const user = await testApp.signIn(role);
      expect((await download(row, user.token)).status, role).toBe(403);
      const answer = await testApp.graphql(createExport, { kind: 'REQUESTS', ...range() }, user.token);
      expect(answer.errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
      expect((await testApp.graphql('{ allExports { id } }', undefined, user.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await fetch(`${testApp.baseUrl}/api/v1/exports/${row.id}/download`)).status).toBe(401);
    expect((await download({ ...row, id: '00000000-0000-4000-8000-000000000000', downloadUrl: null })).status).toBe(404);
    expect((await download({ ...row, id: 'not-an-id', downloadUrl: null })).status).toBe(404);
    const list = await testApp.graphql<{ allExports: Array<{ id: string }>; _allExportsMeta: { count: number } }>('{ allExports(perPage: 100) { id } _allExportsMeta { count } }', undefined, compliance.token);
    expect(list.data!.allExports.map((entry) => entry.id)).toContain(row.id);
    expect(list.data!._allExportsMeta.count).toBeGreaterThanOrEqual(6);
    const backwards = await testApp.graphql(createExport, { kind: 'AUDIT', from: range().to, to: range().from }, compliance.token);
    expect(backwards.errors?.[0].message).toContain('from');
  });

  it('exports a million requests with memory bounded well below the file it writes', async () => {
    const millionTeam = unique('bulk');
    const start = new Date(hour.getTime() - 60 * 3_600_000);
    const rows = 1_000_000;
    // Inserted directly, as stored rows: one every 180 ms over 50 hours, four teams, a prompt and completion each.
    await testApp.engines.clickhouse.command({
      query: `INSERT INTO warden.requests (id, timestamp, team, user, provider, node, model, operation, input_tokens, output_tokens,
                cached_input_tokens, latency_ms, status, cost_nano_usd, cost_source, prompt, completion, retention_days, ingested_at)
              SELECT concat('bulk-', toString(number)), toDateTime64({start:String}, 3, 'UTC') + toIntervalMillisecond(number * 180),
                concat({team:String}, '-', toString(number % 4)), concat('user-', toString(number % 97)), 'openai', '', 'gpt-4o-mini', 'chat',
                100 + number % 50, 20 + number % 30, 0, 200 + number % 700, 'ok', 1500 * (number % 10), 'catalog',
                concat('Summarise claim ', toString(number), ' for the customer and list the next steps.'),
                concat('Claim ', toString(number), ' summarised; next steps listed.'), 3650, now64(3)
              FROM numbers({rows:UInt64})`,
      query_params: { start: clickhouseTime(start), team: millionTeam, rows },
    });
    const teams = [0, 1, 2, 3].map((index) => `${millionTeam}-${index}`);
    // The process's resident memory (the embedded engine's included), and what JavaScript holds (heap and buffers).
    const javascriptMemory = () => {
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.external;
    };
    const baseline = process.memoryUsage().rss;
    const javascriptBaseline = javascriptMemory();
    let peak = baseline;
    let javascriptPeak = javascriptBaseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      javascriptPeak = Math.max(javascriptPeak, javascriptMemory());
    }, 20);
    let row: ExportRow;
    const started = Date.now();
    try {
      row = await runExport({ kind: 'REQUESTS', from: start.toISOString(), to: new Date(start.getTime() + 51 * 3_600_000).toISOString(), teams });
    } finally {
      clearInterval(sampler);
    }
    const peakDelta = peak - baseline;
    const javascriptPeakDelta = javascriptPeak - javascriptBaseline;
    const file = `${testApp.engines.dataDir}/exports/${row.id}.csv`;
    console.log(`export of ${rows} requests: ${(row.bytes / 1e6).toFixed(1)} MB written, peak RSS +${(peakDelta / 1e6).toFixed(1)} MB, JavaScript heap and buffers +${(javascriptPeakDelta / 1e6).toFixed(1)} MB in ${Date.now() - started} ms`);
    expect(row.rows).toBe(rows);
    expect(await countLines(file)).toBe(rows + 1);
    // The file is far larger than what the process grew by: it was never held whole.
    expect(row.bytes).toBeGreaterThan(250e6);
    expect(peakDelta).toBeLessThan(128e6);
    expect(javascriptPeakDelta).toBeLessThan(128e6);
    expect(peakDelta).toBeLessThan(row.bytes / 2);
  }, 600_000);
});
