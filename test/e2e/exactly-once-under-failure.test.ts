import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { graphqlRequest, signInOverApi } from '../support/started-server';
import { temporaryDirectory } from '../support/test-engines';

/*
 * Fault injection on the real server process and its embedded engines: stops and kills at any point of a stream
 * of ingest requests, then a restart and a re-send of everything. Whatever happened, the stored requests, the
 * hourly rollup and the exact-rows path must all count each id once and sum its cost once.
 */

const ingestKey = 'wk_fault_injection_key_0123456789';
const adminPassword = 'fault injection password';
// A fixed cost per event, sent with it: the expected totals need no price catalog.
const costUsd = '0.001234567';
const costNanoUsd = 1_234_567n;
const hour = Date.UTC(2026, 10, 20, 8);

interface Batch {
  events: Array<Record<string, unknown>>;
}

function batchOf(client: number, sequence: number, size: number): Batch {
  return {
    events: Array.from({ length: size }, (_unused, index) => ({
      id: `c${client}-b${sequence}-${index}`,
      timestamp: new Date(hour + ((sequence * size + index) % 7200) * 1000).toISOString(),
      team: `team-${client % 3}`,
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 100,
      outputTokens: 20,
      costUsd,
    })),
  };
}

async function post(server: ServerProcess, batch: Batch): Promise<{ status: number; body?: Record<string, unknown> }> {
  try {
    const response = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify(batch.events),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return { status: 0 };
  }
}

async function graphql<T>(server: ServerProcess, query: string): Promise<T> {
  return graphqlRequest<T>(server.baseUrl, await signInOverApi(server.baseUrl, adminPassword), query);
}

/** Stored requests (raw), the rollup's totals (whole hours), and the exact-rows totals (a range off the hour). */
async function totals(server: ServerProcess) {
  const wholeHours = { from: new Date(hour - 3600_000).toISOString(), to: new Date(hour + 4 * 3600_000).toISOString() };
  const offHours = { from: new Date(hour - 3600_000 + 1).toISOString(), to: new Date(hour + 4 * 3600_000 - 1).toISOString() };
  const data = await graphql<{
    _allRequestsMeta: { count: number };
    rollup: Array<{ requests: number; costNanoUsd: string }>;
    exact: Array<{ requests: number; costNanoUsd: string }>;
  }>(server, `{
    _allRequestsMeta { count }
    rollup: spend(from: "${wholeHours.from}", to: "${wholeHours.to}", groupBy: []) { requests costNanoUsd }
    exact: spend(from: "${offHours.from}", to: "${offHours.to}", groupBy: []) { requests costNanoUsd }
  }`);
  return { stored: data._allRequestsMeta.count, rollup: data.rollup[0], exact: data.exact[0] };
}

function expectedTotals(uniqueEvents: number) {
  const sums = { requests: uniqueEvents, costNanoUsd: (BigInt(uniqueEvents) * costNanoUsd).toString() };
  return { stored: uniqueEvents, rollup: sums, exact: sums };
}

describe('exactly once under failure, on the real server process', () => {
  const dataDirs: string[] = [];
  let server: ServerProcess | undefined;
  const environment = (dataDir: string) => ({
    DATA_DIR: dataDir,
    WARDEN_INGEST_KEY: ingestKey,
    WARDEN_ADMIN_PASSWORD: adminPassword,
    WARDEN_RETENTION_DAYS: '3650',
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops on SIGTERM with exit code 0 after answering every request in flight, and a re-send after the restart is a duplicate', async () => {
    const dataDir = temporaryDirectory('sigterm');
    dataDirs.push(dataDir);
    server = await startServerProcess(environment(dataDir));
    const first = batchOf(1, 0, 200);
    expect((await post(server, first)).body).toMatchObject({ accepted: 200 });
    // Requests in flight when the signal arrives: each is answered (stored) or refused before it starts.
    const inFlight = [1, 2, 3, 4].map((client) => post(server!, batchOf(client, 1, 300)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stopped = await server.stop('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(stopped).toEqual({ code: 0, signal: null });
    for (const answer of answers) expect([0, 200, 503]).toContain(answer.status);

    server = await startServerProcess(environment(dataDir));
    const resent = await post(server, first);
    expect(resent.body).toMatchObject({ accepted: 0, duplicates: 200 });
    for (const client of [1, 2, 3, 4]) await post(server, batchOf(client, 1, 300));
    expect(await totals(server)).toEqual(expectedTotals(200 + 4 * 300));
    expect((await server.stop('SIGTERM')).code).toBe(0);
    server = undefined;
  }, 300_000);

  it('counts every id once in raw rows and rollups after kill -9 at random points of a multi-client stream, every round', async () => {
    const dataDir = temporaryDirectory('kill9');
    dataDirs.push(dataDir);
    const sent: Batch[] = [];
    const rounds = 3;
    for (let round = 0; round < rounds; round += 1) {
      server = await startServerProcess(environment(dataDir));
      const running = server;
      let killed = false;
      // Four clients stream batches until the server dies under them.
      const clients = [1, 2, 3, 4].map(async (client) => {
        for (let sequence = 0; !killed; sequence += 1) {
          const batch = batchOf(client, round * 1000 + sequence, 250);
          sent.push(batch);
          const answer = await post(running, batch);
          if (answer.status === 0) return;
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 2500));
      killed = true;
      const ended = await running.stop('SIGKILL');
      expect(ended.signal).toBe('SIGKILL');
      await Promise.all(clients);

      // Restart, re-send everything ever sent (answered or not), and count.
      server = await startServerProcess(environment(dataDir));
      for (const batch of sent) {
        const answer = await post(server, batch);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.body).toMatchObject({ rejected: 0 });
      }
      const unique = new Set(sent.flatMap((batch) => batch.events.map((event) => event.id))).size;
      expect(await totals(server), `round ${round + 1}`).toEqual(expectedTotals(unique));
      await server.stop('SIGTERM');
      server = undefined;
    }
  }, 600_000);
});
