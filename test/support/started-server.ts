import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot, temporaryDirectory } from './test-engines';

export interface StartedServer {
  baseUrl: string;
  adminPassword: string;
  ingestKey: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts Warden exactly as a user does — `npm start` — on an empty DATA_DIR and embedded engines, and reads the
 * port, the generated admin password and the ingest key from what it prints.
 */
export async function startServerAsUser(extraEnvironment: Record<string, string> = {}): Promise<StartedServer> {
  const dataDir = temporaryDirectory('e2e');
  const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', ...extraEnvironment };
  // Embedded defaults: the suite's real-server variables must not leak into a user's start.
  delete environment.DATABASE_URL;
  delete environment.REDIS_URL;
  delete environment.CLICKHOUSE_URL;
  delete environment.WARDEN_ADMIN_PASSWORD;
  delete environment.WARDEN_INGEST_KEY;
  const child: ChildProcess = spawn('npm', ['start', '--silent'], { cwd: repositoryRoot, env: environment, detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const plain = () => output.replace(/\x1b\[[0-9;]*m/g, '');
  const deadline = Date.now() + 170_000;
  while (!/Warden console at http:\/\/localhost:(\d+)\//.test(plain())) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${plain()}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up in time:\n${plain()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const port = /Warden console at http:\/\/localhost:(\d+)\//.exec(plain())![1];
  const adminPassword = /Password \(shown once\): (\S+)/.exec(plain())?.[1];
  const ingestKey = /Ingest key \(shown once[^)]*\): (\S+)/.exec(plain())?.[1];
  if (!adminPassword || !ingestKey) throw new Error(`first start did not print the admin password and ingest key:\n${plain()}`);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminPassword,
    ingestKey,
    output: plain,
    async stop() {
      if (child.exitCode === null && child.pid) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const artifactsDirectory = path.join(repositoryRoot, 'test-results');

/** Signs in over the REST API as a user of the console does: the session token. */
export async function signInOverApi(baseUrl: string, password: string, email = 'admin@warden.local'): Promise<string> {
  const answer = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await answer.json()) as { token?: string };
  if (answer.status !== 200 || !body.token) throw new Error(`sign-in as ${email} answered ${answer.status}: ${JSON.stringify(body)}`);
  return body.token;
}

/** One GraphQL request with a session token: the answer's data. GraphQL errors throw with their text. */
export async function graphqlRequest<T>(baseUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data?: T; errors?: unknown[] };
  if (answer.errors || !answer.data) throw new Error(`GraphQL failed: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}
