import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluatorService } from '../../../../server/src/modules/alerts/alert-evaluator.service';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A real HTTP receiver on loopback: each path answers 500 for its first `failures` requests, then 200. */
async function startReceiver(failuresByPath: Record<string, number>) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      const count = (seen.get(path) ?? 0) + 1;
      seen.set(path, count);
      if (count <= (failuresByPath[path] ?? 0)) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('receiver not ready');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface AlertRow {
  id: string;
  state: string;
  labels: Record<string, string>;
  value: number;
  threshold: number;
  startedAt: string;
  resolvedAt: string | null;
  deliveries: Array<{ channelName: string; transition: string; status: string; attempts: number; lastError: string | null }>;
}

const alertFields = 'id state labels value threshold startedAt resolvedAt deliveries { channelName transition status attempts lastError }';

describe('alerts: budget burn to a real webhook and a Slack-compatible receiver', () => {
  let testApp: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let evaluator: AlertEvaluatorService;
  let ruleId: string;
  const team = `alerts-${process.pid}`;

  beforeAll(async () => {
    // Fast retries so three attempts take a fraction of a second; a long interval keeps the scheduler out of the way.
    testApp = await startTestApp({ WARDEN_ALERTS_RETRY_BASE_MS: '50', WARDEN_ALERTS_MAX_ATTEMPTS: '5', WARDEN_ALERTS_INTERVAL_SECONDS: '3600' });
    receiver = await startReceiver({ '/hook': 2 });
    evaluator = testApp.app.get(AlertEvaluatorService);
    const policy = await fetch(`${testApp.baseUrl}/api/v1/policies/${team}-budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.sessionToken}` },
      body: JSON.stringify({ name: `${team}-budget`, scope: { team }, quotas: [{ name: 'monthly', metric: 'costUsd', limit: '1000', period: 'month' }] }),
    });
    expect(policy.status, await policy.text()).toBe(200);
    // $600 spent early in November 2026 (requests before the frozen clocks below).
    const ingest = await postEvents(testApp, [
      { id: `${team}-1`, timestamp: '2026-11-02T10:00:00Z', team, provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 10, costUsd: '400' },
      { id: `${team}-2`, timestamp: '2026-11-03T10:00:00Z', team, provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 10, costUsd: '200' },
    ]);
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(200);
  });

  afterAll(async () => {
    await testApp?.close();
    await receiver?.close();
  });

  const alerts = async (filter: Record<string, unknown> = {}) => {
    const answer = await testApp.graphql<{ allAlerts: AlertRow[] }>(`query($filter: AlertFilter) { allAlerts(filter: $filter, perPage: 100) { ${alertFields} } }`, { filter: { ruleId, ...filter } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.allAlerts;
  };

  it('creates channels and a rule through GraphQL, refusing bad input by field', async () => {
    const bad = await testApp.graphql(`mutation { createAlertChannel(name: "x", kind: "webhook", url: "ftp://example.com/hook") { id } }`);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toContain('url:');

    const channel = async (name: string, kind: string, path: string) => {
      const answer = await testApp.graphql<{ createAlertChannel: { id: string; urlPreview: string; hasSecret: boolean } }>(
        `mutation($name: String!, $kind: String!, $url: String!, $secret: String) { createAlertChannel(name: $name, kind: $kind, url: $url, secret: $secret) { id urlPreview hasSecret } }`,
        { name, kind, url: receiver.url(path), secret: kind === 'webhook' ? 'a-signing-secret-of-some-length' : null },
      );
      expect(answer.errors).toBeUndefined();
      // The URL's path and the secret never come back.
      expect(answer.data!.createAlertChannel.urlPreview).not.toContain(path);
      return answer.data!.createAlertChannel;
    };
    const webhook = await channel('ops webhook', 'webhook', '/hook');
    expect(webhook.hasSecret).toBe(true);
    const slack = await channel('ops slack', 'slack', '/slack');

    const badRule = await testApp.graphql(`mutation { createAlertRule(name: "r", kind: "budget_burn", params: {thresholds: [50], colour: 1}) { id } }`);
    expect(badRule.errors?.[0].message).toContain('params.colour');

    const rule = await testApp.graphql<{ createAlertRule: { id: string; params: Record<string, unknown> } }>(
      `mutation($channels: [ID!]) { createAlertRule(name: "search budget", kind: "budget_burn", team: "${team}", params: {thresholds: [50, 80, 100], projectedOverrun: false}, channelIds: $channels) { id params } }`,
      { channels: [webhook.id, slack.id] },
    );
    expect(rule.errors).toBeUndefined();
    expect(rule.data!.createAlertRule.params).toEqual({ thresholds: [50, 80, 100], projectedOverrun: false, projectionMinElapsedHours: 24 });
    ruleId = rule.data!.createAlertRule.id;
  });

  it('fires at 50 % and delivers to a webhook that fails twice: three attempts recorded, one notification delivered', async () => {
    const report = await evaluator.evaluateNow(new Date('2026-11-10T00:00:00Z'));
    expect(report).toMatchObject({ fired: 1, resolved: 0, failedRules: 0 });
    const [alert] = await until(() => alerts(), (rows) => rows[0]?.deliveries.every((delivery) => delivery.status === 'delivered') ?? false);
    expect(alert).toMatchObject({ state: 'firing', value: 60, threshold: 50, labels: { team, threshold: '50', quota: 'monthly' } });
    const webhook = alert.deliveries.find((delivery) => delivery.channelName === 'ops webhook')!;
    expect(webhook).toMatchObject({ transition: 'firing', status: 'delivered', attempts: 3, lastError: null });
    const hooks = receiver.received.filter((request) => request.path === '/hook');
    // Three requests arrived, the same body each time; the receiver answered 200 once.
    expect(hooks).toHaveLength(3);
    expect(new Set(hooks.map((request) => JSON.stringify(request.body))).size).toBe(1);
    expect(hooks[0].body).toMatchObject({ alert: alert.id, rule: { id: ruleId, name: 'search budget', kind: 'budget_burn' }, state: 'firing', value: 60, threshold: 50, resolvedAt: null, labels: { team, threshold: '50' } });
    expect(hooks[0].headers['x-warden-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('sends Slack a {text, blocks} body', () => {
    const slack = receiver.received.filter((request) => request.path === '/slack');
    expect(slack).toHaveLength(1);
    expect(Object.keys(slack[0].body).sort()).toEqual(['blocks', 'text']);
    expect(slack[0].body.text).toContain('FIRING search budget');
    expect(Array.isArray(slack[0].body.blocks)).toBe(true);
  });

  it('does not notify again while the condition holds', async () => {
    const before = receiver.received.length;
    for (const at of ['2026-11-10T00:01:00Z', '2026-11-10T00:02:00Z']) {
      expect(await evaluator.evaluateNow(new Date(at))).toMatchObject({ fired: 0, resolved: 0 });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.length).toBe(before);
    expect(await alerts()).toHaveLength(1);
  });

  it('fires the next threshold as its own alert, and resolves both once when the condition clears', async () => {
    await postEvents(testApp, [{ id: `${team}-3`, timestamp: '2026-11-11T10:00:00Z', team, provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 10, costUsd: '250' }]);
    expect(await evaluator.evaluateNow(new Date('2026-11-12T00:00:00Z'))).toMatchObject({ fired: 1, resolved: 0 });
    // December: a new period with nothing spent, so November's alerts clear.
    expect(await evaluator.evaluateNow(new Date('2026-12-02T00:00:00Z'))).toMatchObject({ fired: 0, resolved: 2 });
    expect(await evaluator.evaluateNow(new Date('2026-12-02T00:01:00Z'))).toMatchObject({ fired: 0, resolved: 0 });
    const rows = await until(() => alerts({ state: 'resolved' }), (found) => found.length === 2 && found.every((row) => row.deliveries.every((delivery) => delivery.status === 'delivered')));
    expect(rows.map((row) => row.labels.threshold).sort()).toEqual(['50', '80']);
    for (const row of rows) {
      expect(row.resolvedAt).toBe('2026-12-02T00:00:00.000Z');
      expect(row.deliveries.filter((delivery) => delivery.transition === 'resolved')).toHaveLength(2);
    }
    const resolvedHooks = receiver.received.filter((request) => request.path === '/hook' && request.body.state === 'resolved');
    expect(resolvedHooks).toHaveLength(2);
    expect(resolvedHooks[0].body.resolvedAt).toBe('2026-12-02T00:00:00.000Z');
    expect(await alerts({ state: 'firing' })).toEqual([]);
    expect(await alerts({ team })).toHaveLength(2);
    expect(await alerts({ team: 'another team' })).toEqual([]);
  });

  it('tests a channel on demand, and reads history by role', async () => {
    const channels = await testApp.graphql<{ allAlertChannels: Array<{ id: string; name: string }> }>(`{ allAlertChannels { id name } }`);
    const webhook = channels.data!.allAlertChannels.find((channel) => channel.name === 'ops webhook')!;
    const test = await testApp.graphql<{ testAlertChannel: { ok: boolean; statusCode: number } }>(`mutation($id: ID!) { testAlertChannel(id: $id) { ok statusCode error } }`, { id: webhook.id });
    expect(test.data!.testAlertChannel).toMatchObject({ ok: true, statusCode: 200 });
    expect(receiver.received.at(-1)!.body).toMatchObject({ state: 'test' });

    const sre = await testApp.signIn('sre');
    expect((await testApp.graphql(`{ allAlerts { id } _allAlertsMeta { count } }`, undefined, sre.token)).errors).toBeUndefined();
    expect((await testApp.graphql(`{ allAlertChannels { id } }`, undefined, sre.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await testApp.graphql(`mutation { deleteAlertRule(id: "${ruleId}") { id } }`, undefined, sre.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const viewer = await testApp.signIn('viewer');
    expect((await testApp.graphql(`{ allAlerts { id } }`, undefined, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
