import * as fs from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../support/fake-openai-upstream';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { graphqlRequest, signInOverApi } from '../support/started-server';
import { temporaryDirectory } from '../support/test-engines';

/*
 * SIGTERM while a gateway stream is under way, on the real server process and its embedded engines: the stream is
 * answered to its end (README: "Stopping"), the process exits 0, and after a restart the request is logged once
 * with its whole usage.
 */
const adminPassword = 'gateway stop password';
const team = 'stop-e2e';
const replyText = 'one two three four five six seven eight nine ten';

describe('stopping the server while the gateway streams', () => {
  let upstream: FakeOpenAiUpstream;
  let server: ServerProcess | undefined;
  const dataDir = temporaryDirectory('gateway-stop');
  const environment = { DATA_DIR: dataDir, WARDEN_ADMIN_PASSWORD: adminPassword };

  beforeAll(async () => {
    // Ten chunks 300 ms apart: the stream runs about 3 s, the stop arrives after its first chunk.
    upstream = await startFakeOpenAiUpstream({ models: ['house-chat-7b'], replyText, chunkDelayMilliseconds: 300 });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await upstream?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T>(server!.baseUrl, await signInOverApi(server!.baseUrl, adminPassword), query, variables);

  it('answers the stream to its end, exits 0, and the request is logged once after the restart', async () => {
    server = await startServerProcess(environment);
    await graphql(`mutation ($baseUrl: String) { createNode(name: "house-node", kind: "openai-compatible", baseUrl: $baseUrl, location: "on-premises", models: ["house-chat-7b"], enabled: true) { id } }`, {
      baseUrl: upstream.url,
    });
    await graphql(`mutation ($team: String!) { createTeam(name: $team) { id } }`, { team });
    const { createApiKey } = await graphql<{ createApiKey: { secret: string } }>(`mutation ($team: String) { createApiKey(name: "stop key", team: $team, scopes: ["gateway"]) { secret } }`, { team });
    const client = new OpenAI({ apiKey: createApiKey.secret, baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });

    const stream = await client.chat.completions.create({ model: 'house-chat-7b', messages: [{ role: 'user', content: 'count to ten' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let completionTokens = 0;
    let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
      stopped ??= server.stop('SIGTERM');
    }
    expect(text).toBe(replyText);
    expect(completionTokens).toBe(10);
    expect(await stopped).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM: taking no new requests');

    server = await startServerProcess(environment);
    let logged: Array<{ team: string; outputTokens: number; status: string }> = [];
    for (let attempt = 0; attempt < 60 && logged.length === 0; attempt += 1) {
      ({ allRequests: logged } = await graphql<{ allRequests: typeof logged }>(`query ($filter: RequestFilter) { allRequests(filter: $filter, perPage: 10) { team outputTokens status } }`, {
        filter: { team },
      }));
      if (logged.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(logged).toEqual([{ team, outputTokens: 10, status: 'ok' }]);
    expect((await server.stop('SIGTERM')).code).toBe(0);
    server = undefined;
  }, 300_000);
});
