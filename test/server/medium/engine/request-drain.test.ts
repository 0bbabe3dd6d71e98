import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { lastValueFrom, timer } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestDrain } from '../../../../server/src/engine/http/request-drain';

// The drain on a real HTTP server and real sockets: what a stop waits for, what it refuses and what it cuts.
const refusal = (message: string) => ({ error: { code: 'server_stopping', message } });

describe('RequestDrain', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  async function serve(drain: RequestDrain, handle: (response: ServerResponse) => void): Promise<number> {
    server = createServer((request, response) => {
      if (drain.admit(response, refusal)) handle(response);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Sends raw HTTP/1.1 on one connection and collects everything the server writes until it closes. */
  function connect(port: number) {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
    socket.on('error', () => undefined);
    return { send: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`), closed, received: () => received };
  }

  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('waits for a request in flight to be answered, and refuses the next one on that connection with 503 server_stopping', async () => {
    const drain = new RequestDrain();
    let arrived = 0;
    let answered = false;
    const port = await serve(drain, (response) => {
      arrived += 1;
      setTimeout(() => {
        answered = true;
        response.end('done');
      }, 400);
    });
    const connection = connect(port);
    connection.send('/slow');
    await until(() => arrived === 1);
    const stopped = drain.stop(server!, 10_000, 1_000).then((result) => ({ ...result, answeredFirst: answered }));
    // The same (busy, so still open) connection carries a second request once the stop has begun.
    connection.send('/next');
    expect(await stopped).toEqual({ runningAtLimit: 0, answeredFirst: true });
    const received = await connection.closed;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toContain('done');
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/retry-after: 5/i);
    expect(second).toMatch(/connection: close/i);
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'server_stopping' } });
    expect(arrived).toBe(1);
  });

  it('waits for a handler that outlives its answer (a client that left, a stream still logging)', async () => {
    const drain = new RequestDrain();
    let handlerEnded = false;
    const port = await serve(drain, (response) => {
      response.end('answered at once');
      // The way Nest runs a handler: the interceptor counts it until its observable ends.
      void lastValueFrom(drain.intercept(undefined, { handle: () => timer(400) })).then(() => (handlerEnded = true));
    });
    const connection = connect(port);
    connection.send('/');
    await until(() => connection.received().includes('answered at once'));
    const result = await drain.stop(server!, 10_000, 1_000);
    expect(result).toEqual({ runningAtLimit: 0 });
    expect(handlerEnded).toBe(true);
  });

  it('cuts the connections of what still runs at the limit, and says how many', async () => {
    const drain = new RequestDrain();
    let arrived = false;
    let aborted = false;
    const port = await serve(drain, (response) => {
      arrived = true;
      response.on('close', () => (aborted = !response.writableEnded));
    });
    const connection = connect(port);
    connection.send('/never-answered');
    await until(() => arrived);
    const result = await drain.stop(server!, 300, 1_000);
    expect(result).toEqual({ runningAtLimit: 1 });
    await connection.closed;
    expect(aborted).toBe(true);
  });

  it('stops at once when nothing is in flight', async () => {
    const drain = new RequestDrain();
    await serve(drain, (response) => response.end());
    // A limit longer than the test's own timeout: a stop that waited for it would fail the test.
    expect(await drain.stop(server!, 600_000, 1_000)).toEqual({ runningAtLimit: 0 });
  });
});
