import * as fs from 'node:fs';
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluatorService } from '../../../../server/src/modules/alerts/alert-evaluator.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { temporaryDirectory } from '../../../support/test-engines';

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

// A notification recorded but not yet delivered when the server stops is delivered by the next start. The embedded
// engines keep their data in DATA_DIR, so this runs on them on purpose (a second start on the same directory).
describe('alert deliveries survive a restart', () => {
  const dataDir = temporaryDirectory('alerts-restart');
  const environment = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', WARDEN_ALERTS_INTERVAL_SECONDS: '3600' };
  let receiverUp = false;
  const deliveryIds: string[] = [];
  const receiver = http.createServer((request, response) => {
    deliveryIds.push(String(request.headers['x-warden-delivery-id']));
    request.resume();
    request.on('end', () => response.writeHead(receiverUp ? 200 : 503).end());
  });
  let testApp: TestApp | undefined;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await testApp?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const deliveries = async (app: TestApp) => {
    const answer = await app.graphql<{ allAlerts: Array<{ deliveries: DeliveryRow[] }> }>(`{ allAlerts { deliveries { id status attempts lastError } } }`);
    expect(answer.errors).toBeUndefined();
    return answer.data!.allAlerts.flatMap((alert) => alert.deliveries);
  };
  const until = async (app: TestApp, done: (rows: DeliveryRow[]) => boolean) => {
    const deadline = Date.now() + 20_000;
    let rows = await deliveries(app);
    while (!done(rows) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await deliveries(app);
    }
    return rows;
  };

  it('continues a pending notification after the server restarts', async () => {
    testApp = await startTestApp(environment);
    const port = (receiver.address() as { port: number }).port;
    const channel = await testApp.graphql<{ createAlertChannel: { id: string } }>(`mutation { createAlertChannel(name: "hook", kind: "webhook", url: "http://127.0.0.1:${port}/hook") { id } }`);
    expect(channel.errors).toBeUndefined();
    expect((await testApp.graphql(`mutation { createNode(name: "quiet-node", kind: "vllm") { id } }`)).errors).toBeUndefined();
    const rule = await testApp.graphql(`mutation($channel: ID!) { createAlertRule(name: "down", kind: "node_down", params: {windowMinutes: 1}, channelIds: [$channel]) { id } }`, {
      channel: channel.data!.createAlertChannel.id,
    });
    expect(rule.errors).toBeUndefined();
    // Two minutes on, the node has sent nothing: down. The receiver is down too: the first attempt fails, and the
    // next is due 5 s later (the default backoff), after this server has stopped.
    await testApp.app.get(AlertEvaluatorService).evaluateNow(new Date(Date.now() + 2 * 60_000));
    const [failed] = await until(testApp, (rows) => rows[0]?.attempts === 1);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    await testApp.close();
    testApp = undefined;

    receiverUp = true;
    testApp = await startTestApp(environment);
    const [delivered] = await until(testApp, (rows) => rows[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, status: 'delivered', attempts: 2, lastError: null });
    // Both attempts carried the same delivery id: a receiver can tell a retry from a new notification.
    expect(deliveryIds).toEqual([failed.id, failed.id]);
    // Two starts of the embedded engines: slower than one test's default allowance on a busy machine.
  }, 180_000);
});

// The schedule itself, without any test hook: rules are evaluated every WARDEN_ALERTS_INTERVAL_SECONDS. On the
// embedded engines (the in-process timer) on purpose: a Redis shared with other test files holds one schedule.
describe('the alert schedule', () => {
  let testApp: TestApp | undefined;
  afterAll(async () => {
    await testApp?.close();
  });

  it('evaluates every rule on the interval', async () => {
    testApp = await startTestApp({ DATABASE_URL: '', REDIS_URL: '', WARDEN_ALERTS_INTERVAL_SECONDS: '1' });
    const created = await testApp.graphql<{ createAlertRule: { id: string } }>(`mutation { createAlertRule(name: "scheduled", kind: "agent_silent") { id } }`);
    expect(created.errors).toBeUndefined();
    const evaluatedAt = async () =>
      (await testApp!.graphql<{ AlertRule: { lastEvaluatedAt: string | null } }>(`query($id: ID!) { AlertRule(id: $id) { lastEvaluatedAt } }`, { id: created.data!.createAlertRule.id })).data!.AlertRule
        .lastEvaluatedAt;
    const deadline = Date.now() + 30_000;
    let first = await evaluatedAt();
    while (first === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      first = await evaluatedAt();
    }
    expect(first).not.toBeNull();
    let second = first;
    while (second === first && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      second = await evaluatedAt();
    }
    expect(new Date(second!).getTime()).toBeGreaterThan(new Date(first!).getTime());
  }, 120_000);
});
