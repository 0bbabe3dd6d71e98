import * as fs from 'node:fs';
import * as net from 'node:net';
import { createClient } from '@clickhouse/client';
import { Client, Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreUnavailableError } from '../../../../server/src/engine/errors/store-errors';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { createScratchDatabase } from '../../../support/test-engines';

const spendQuery = `query { spend(from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", groupBy: [TEAM]) { team requests } }`;
const oneEvent = [{ id: 'store-down-1', timestamp: '2026-03-01T10:00:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1 }];

/** A real peer that accepts connections and never says a word: what a hung server looks like to a client. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function graphqlOverHttp(testApp: TestApp, query: string) {
  const response = await fetch(`${testApp.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.sessionToken}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: unknown; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

describe('errors the store clients really throw', () => {
  it('@clickhouse/client: request_timeout against a server that never answers, and a closed port', async () => {
    const silent = await silentServer();
    const hung = createClient({ url: `http://127.0.0.1:${silent.port}`, request_timeout: 200, log: { level: 127 as never } });
    const timeout = await thrownBy(() => hung.query({ query: 'SELECT 1' }));
    expect((timeout as Error).message).toBe('Timeout error.');
    expect(isStoreUnavailableError(timeout)).toBe(true);
    const insertTimeout = await thrownBy(() => hung.insert({ table: 't', values: [{ a: 1 }], format: 'JSONEachRow' }));
    expect(isStoreUnavailableError(insertTimeout)).toBe(true);
    await hung.close();
    await silent.close();
    const nobody = createClient({ url: `http://127.0.0.1:${await closedPort()}`, log: { level: 127 as never } });
    const refused = await thrownBy(() => nobody.query({ query: 'SELECT 1' }));
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailableError(refused)).toBe(true);
    await nobody.close();
  });

  it('pg: connection timeout against a server that never answers, a closed port, a pool after end', async () => {
    const silent = await silentServer();
    const hung = new Pool({ connectionString: `postgresql://postgres@127.0.0.1:${silent.port}/postgres`, connectionTimeoutMillis: 200 });
    const connectTimeout = await thrownBy(() => hung.query('SELECT 1'));
    expect((connectTimeout as Error).message).toBe('Connection terminated due to connection timeout');
    expect(isStoreUnavailableError(connectTimeout)).toBe(true);
    await hung.end();
    expect(isStoreUnavailableError(await thrownBy(() => hung.query('SELECT 1')))).toBe(true);
    await silent.close();
    const nobody = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${await closedPort()}/postgres` });
    const refused = await thrownBy(() => nobody.connect());
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailableError(refused)).toBe(true);
  });

  it.skipIf(!process.env.DATABASE_URL)('pg: a statement_timeout on the Postgres server at DATABASE_URL', async () => {
    const client = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 50 });
    await client.connect();
    const canceled = await thrownBy(() => client.query('SELECT pg_sleep(2)'));
    await client.end();
    expect(canceled).toMatchObject({ code: '57014' });
    expect(isStoreUnavailableError(canceled)).toBe(true);
  });

  it.skipIf(!fs.existsSync('/dev/full'))('a full disk: ENOSPC from the file system', async () => {
    const full = await thrownBy(() => fs.promises.writeFile('/dev/full', 'x'.repeat(64 * 1024)));
    expect(full).toMatchObject({ code: 'ENOSPC' });
    expect(isStoreUnavailableError(full)).toBe(true);
  });
});

describe('a store that stops answering, through the HTTP app on real engines', () => {
  let testApp: TestApp | undefined;
  afterAll(async () => {
    await testApp?.close().catch(() => undefined);
  });

  it('closed ClickHouse: GraphQL answers STORE_UNAVAILABLE, ingest answers 503 with Retry-After; closed Postgres: login 503', async () => {
    testApp = await startTestApp();
    await testApp.engines.clickhouse.close();

    const read = await graphqlOverHttp(testApp, spendQuery);
    expect(read.body.data).toBeNull();
    expect(read.body.errors?.[0]?.extensions).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(read.retryAfter).toBe('5');

    const ingest = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.ingestKey}` },
      body: JSON.stringify(oneEvent),
    });
    expect(ingest.status).toBe(503);
    expect(ingest.headers.get('retry-after')).toBe('5');
    expect(await ingest.json()).toEqual({ error: { code: 'store_unavailable', message: 'A data store is unavailable; retry later (/readyz shows which)' } });

    await testApp.engines.postgres.destroy();
    const login = await fetch(`${testApp.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@warden.local', password: testApp.adminPassword }),
    });
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toBe('5');
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  });
});

/** Forwards loopback TCP to Postgres until `cut()`: then every connection drops and new ones are refused. */
async function postgresProxy(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target.toString());
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    cut: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe.skipIf(!process.env.DATABASE_URL)('Postgres going away under a running server (DATABASE_URL)', () => {
  it('answers 503 store_unavailable with Retry-After, on REST and GraphQL', async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    const proxy = await postgresProxy(new URL(scratch.url));
    const testApp = await startTestApp({ DATABASE_URL: proxy.url, WARDEN_SECRET: 'proxy-test-secret-0123456789abcdefghij' });
    try {
      await proxy.cut();
      const login = await fetch(`${testApp.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@warden.local', password: testApp.adminPassword }),
      });
      expect(login.status).toBe(503);
      expect(login.headers.get('retry-after')).toBe('5');
      const prices = await graphqlOverHttp(testApp, 'query { allPrices(perPage: 5) { id } }');
      expect(prices.body.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    } finally {
      await testApp.close().catch(() => undefined);
      await scratch.drop();
    }
  });
});
