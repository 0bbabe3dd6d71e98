/**
 * A fake Warden for the node agent: a real HTTP server that takes heartbeats on
 * POST /api/v1/nodes/{name}/heartbeat and serves the node policy on GET /api/v1/nodes/{name}/policy with an
 * ETag, answering 304 to a matching If-None-Match. It records what it received, can answer errors, and can
 * go down (closed port) and come back on the same port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeHeartbeat, NodePolicy } from '../../../collectors/src/node-agent/node-report';

export interface ReceivedHeartbeat {
  readonly nodeName: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly report: NodeHeartbeat;
}

export interface ReceivedPolicyRequest {
  readonly nodeName: string;
  readonly authorization: string | undefined;
  readonly ifNoneMatch: string | undefined;
  readonly status: number;
}

export interface FakeWarden {
  readonly url: string;
  readonly heartbeats: ReceivedHeartbeat[];
  readonly policyRequests: ReceivedPolicyRequest[];
  /** Heartbeats answered with a status other than 2xx, and their count. */
  refusedHeartbeats(): number;
  /** The policy served from now on; undefined answers 404. Its ETag is derived from its version. */
  setPolicy(policy: NodePolicy | undefined): void;
  /** Answer heartbeats with this status (202 by default). */
  setHeartbeatStatus(status: number): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const NODE_PATH = /^\/api\/v1\/nodes\/([^/]+)\/(heartbeat|policy)$/;

export async function startFakeWarden(initialPolicy?: NodePolicy): Promise<FakeWarden> {
  const heartbeats: ReceivedHeartbeat[] = [];
  const policyRequests: ReceivedPolicyRequest[] = [];
  let policy = initialPolicy;
  let heartbeatStatus = 202;
  let refused = 0;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = NODE_PATH.exec(new URL(request.url ?? '/', 'http://warden').pathname);
      if (match === null) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const nodeName = decodeURIComponent(match[1] as string);
      if (match[2] === 'heartbeat' && request.method === 'POST') {
        if (heartbeatStatus >= 300) {
          refused += 1;
          response.writeHead(heartbeatStatus, { 'content-type': 'application/json' }).end('{"error":"refused by the test"}');
          return;
        }
        heartbeats.push({
          nodeName,
          authorization: request.headers.authorization,
          contentType: request.headers['content-type'],
          report: JSON.parse(Buffer.concat(chunks).toString('utf8')) as NodeHeartbeat,
        });
        response.writeHead(heartbeatStatus, { 'content-type': 'application/json' }).end('{"accepted":true}');
        return;
      }
      if (match[2] === 'policy' && request.method === 'GET') {
        const ifNoneMatch = request.headers['if-none-match'];
        const record = (status: number): void => {
          policyRequests.push({ nodeName, authorization: request.headers.authorization, ifNoneMatch, status });
        };
        if (policy === undefined) {
          record(404);
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no policy for this node"}');
          return;
        }
        const etag = `"policy-${policy.version}"`;
        if (ifNoneMatch === etag) {
          record(304);
          response.writeHead(304, { etag }).end();
          return;
        }
        record(200);
        response.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(policy));
        return;
      }
      response.writeHead(405).end();
    });
  });

  let port = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    heartbeats,
    policyRequests,
    refusedHeartbeats: () => refused,
    setPolicy: (next) => {
      policy = next;
    },
    setHeartbeatStatus: (status) => {
      heartbeatStatus = status;
    },
    stop,
    start: listen,
    close: stop,
  };
}
