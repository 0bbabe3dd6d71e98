import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { TestApp } from '../../../support/test-app';
import { call, unique } from '../policies/policy-test-support';

export interface NodeArguments {
  name?: string;
  kind?: string;
  baseUrl: string | null;
  apiKey?: string;
  location?: 'on-premises' | 'external';
  models: string[];
  enabled?: boolean;
  routingPreference?: number;
}

export interface CreatedNode {
  id: string;
  name: string;
}

/** Registers a node through GraphQL, as an admin does. */
export async function createNode(testApp: TestApp, node: NodeArguments): Promise<CreatedNode> {
  const answer = await testApp.graphql<{ createNode: CreatedNode }>(
    `mutation ($name: String!, $kind: String, $baseUrl: String, $apiKey: String, $location: String, $models: [String!], $enabled: Boolean, $routingPreference: Int) {
      createNode(name: $name, kind: $kind, baseUrl: $baseUrl, apiKey: $apiKey, location: $location, models: $models, enabled: $enabled, routingPreference: $routingPreference) { id name }
    }`,
    { kind: 'openai-compatible', ...node, name: node.name ?? unique('node') },
  );
  if (!answer.data) throw new Error(`createNode failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.createNode;
}

export async function putPolicy(testApp: TestApp, document: Record<string, unknown> & { name: string }): Promise<void> {
  const answer = await call(testApp, 'PUT', `/api/v1/policies/${document.name}`, testApp.sessionToken, document);
  if (answer.status !== 200) throw new Error(`policy ${document.name} refused: ${JSON.stringify(answer.body)}`);
}

/** The official client against the gateway, the team named by header (keys without a team). */
export function gatewayClient(testApp: TestApp, key: string, team: string, options: { maxRetries?: number; fetch?: typeof fetch } = {}): OpenAI {
  return new OpenAI({
    apiKey: key,
    baseURL: `${testApp.baseUrl}/v1`,
    defaultHeaders: { 'x-warden-team': team },
    maxRetries: options.maxRetries ?? 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export interface LoggedRequest {
  id: string;
  team: string;
  node: string;
  model: string;
  operation: string;
  input_tokens: number;
  output_tokens: number;
  status: string;
  error_type: string;
  cost_nano_usd: string | null;
  ttft_ms: number | null;
  latency_ms: number;
  decision_id: string;
  location: string;
  prompt: string;
  completion: string;
  source: string;
  pii_findings: Record<string, number>;
  pii_action: string;
}

/** The team's requests as stored in ClickHouse. */
export async function loggedRequests(testApp: TestApp, team: string): Promise<LoggedRequest[]> {
  const result = await testApp.engines.clickhouse.query({
    query: `SELECT id, team, node, model, operation, toUInt32(input_tokens) AS input_tokens, toUInt32(output_tokens) AS output_tokens, status, error_type, toString(cost_nano_usd) AS cost_nano_usd,
                   ttft_ms, latency_ms, decision_id, location, prompt, completion, source, pii_findings, pii_action
            FROM ${testApp.engines.config.clickhouse.database}.requests FINAL WHERE team = {team:String} ORDER BY timestamp, id`,
    query_params: { team },
    format: 'JSONEachRow',
  });
  return result.json<LoggedRequest>();
}

/** Waits until the team has `count` stored requests (the log is written after the answer). */
export async function waitForLogged(testApp: TestApp, team: string, count: number, timeoutMilliseconds = 10_000): Promise<LoggedRequest[]> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const rows = await loggedRequests(testApp, team);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`expected ${count} logged requests of ${team}, found ${rows.length}`);
    await sleep(50);
  }
}
