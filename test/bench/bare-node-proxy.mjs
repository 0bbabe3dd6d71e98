#!/usr/bin/env node
// The floor for any Node.js gateway on this machine, for the gateway benchmark: an HTTP server that relays each
// request to the upstream with undici (pooled keep-alive, as Warden's gateway does) and the answer back, streams
// included, doing nothing else. Usage: bare-node-proxy.mjs UPSTREAM_URL. Prints `listening PORT` on stdout.
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { requireFromServer } from './support.mjs';

const { Agent, request } = requireFromServer('undici');
const upstream = process.argv[2];
const dispatcher = new Agent({ keepAliveTimeout: 30_000 });

const server = createServer(async (incoming, response) => {
  try {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const answer = await request(`${upstream}${incoming.url}`, {
      method: incoming.method,
      headers: { 'content-type': 'application/json' },
      body: incoming.method === 'POST' ? Buffer.concat(chunks) : undefined,
      dispatcher,
    });
    response.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
    await pipeline(answer.body, response);
  } catch (error) {
    if (!response.headersSent) response.writeHead(502).end(String(error));
    else response.destroy();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
