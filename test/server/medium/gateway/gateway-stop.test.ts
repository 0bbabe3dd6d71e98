import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../../../support/fake-openai-upstream';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { createScopedKey } from '../policies/policy-test-support';
import { createNode } from './gateway-support';

// A stop begun while a gateway stream runs, on the real HTTP app: the stream goes on to its end, and a request
// that arrives meanwhile on the same keep-alive connection is refused in OpenAI's shape, with its x-request-id.
describe('gateway while the server stops', () => {
  let testApp: TestApp;
  let upstream: FakeOpenAiUpstream;
  let key: string;
  let closed = false;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_NODE_HEALTH_INTERVAL_SECONDS: '3600' });
    key = (await createScopedKey(testApp, 'gateway')).secret;
    upstream = await startFakeOpenAiUpstream({ models: ['stop-model'], replyText: 'a b c d e f g h', chunkDelayMilliseconds: 200 });
    await createNode(testApp, { baseUrl: upstream.url, models: ['stop-model'] });
  });
  afterAll(async () => {
    if (!closed) await testApp?.close();
    await upstream?.close();
  });

  it('finishes the stream under way and refuses the next request with 503 server_stopping', async () => {
    const { port } = new URL(testApp.baseUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const post = (body: Record<string, unknown>) => {
      const json = JSON.stringify(body);
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: warden\r\nAuthorization: Bearer ${key}\r\nx-warden-team: stop-team\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
      );
    };
    post({ model: 'stop-model', messages: [{ role: 'user', content: 'stream please' }], stream: true });
    while (!received.includes('data: ')) await new Promise((resolve) => setTimeout(resolve, 10));

    // The stop begins at once (nothing awaited before the drain takes no new requests).
    const stopped = testApp.close().then(() => (closed = true));
    post({ model: 'stop-model', messages: [{ role: 'user', content: 'too late' }] });
    await stopped;
    await socketClosed;

    const [streamed, refused] = received.split(/(?=HTTP\/1\.1 )/);
    expect(streamed).toMatch(/^HTTP\/1\.1 200/);
    expect(streamed).toContain('data: [DONE]');
    const words = [...streamed.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
    expect(words).toBe('a b c d e f g h');
    expect(refused).toMatch(/^HTTP\/1\.1 503/);
    expect(refused).toMatch(/\r\nx-request-id: req_[0-9a-f]{32}\r\n/i);
    expect(refused).toMatch(/\r\nretry-after: 5\r\n/i);
    const body = JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4)) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'server_error', code: 'server_stopping', param: null });
    expect(upstream.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);
  });
});
