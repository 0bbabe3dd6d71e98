import type { INestApplication } from '@nestjs/common';
import { createHttpApp, stopHttpApp } from '../../server/src/http-app';
import { QUEUE } from '../../server/src/engine/engine.module';
import type { QueuePort } from '../../server/src/engine/queue/queue-contracts';
import type { Role } from '../../server/src/modules/tenancy/roles';
import { TeamsService } from '../../server/src/modules/tenancy/teams.service';
import { TenancyService } from '../../server/src/modules/tenancy/tenancy.service';
import type { EngineOptions } from '../../server/src/engine/engines';
import { startTestEngines, type TestEngines } from './test-engines';

export interface GraphqlAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface TestApp {
  app: INestApplication;
  engines: TestEngines;
  baseUrl: string;
  ingestKey: string;
  adminPassword: string;
  sessionToken: string;
  /** Creates a user with this role (member of these teams, by name, created when missing) and signs them in over HTTP. */
  signIn(role: Role, email?: string, teams?: string[]): Promise<SignedInUser>;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlAnswer<T>>;
  close(): Promise<void>;
}

export interface SignedInUser {
  userId: string;
  email: string;
  password: string;
  token: string;
}

let signedInUsers = 0;

export async function login(baseUrl: string, email: string, password: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export const testIngestKey = 'wk_test_ingest_key_0123456789abcdef';
export const testAdminPassword = 'correct horse battery staple';

/**
 * The real HTTP app on real engines, listening on a free loopback port. Retention is the longest allowed so the
 * tests' fixed event dates stay inside their TTL for years (an expired row is dropped as soon as it is written).
 */
export async function startTestApp(overrides: Record<string, string> = {}, options: EngineOptions = {}): Promise<TestApp> {
  const engines = await startTestEngines({
    WARDEN_INGEST_KEY: testIngestKey,
    WARDEN_ADMIN_PASSWORD: testAdminPassword,
    WARDEN_RETENTION_DAYS: '3650',
    // Sweeps run when a test asks for one, never on a timer in the middle of another test.
    WARDEN_RETENTION_SWEEP_MINUTES: '0',
    ...overrides,
  }, options);
  const app = await createHttpApp(engines, { logger: ['error'] });
  await app.init();
  await engines.writer.recover();
  await app.get(TenancyService).bootstrap(() => undefined);
  await app.get<symbol, QueuePort>(QUEUE).startConsuming();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const adminLogin = await login(baseUrl, 'admin@warden.local', testAdminPassword);
  if (adminLogin.status !== 200) throw new Error(`The test admin could not sign in: ${adminLogin.status} ${JSON.stringify(adminLogin.body)}`);
  const token = adminLogin.body.token as string;
  const signIn = async (role: Role, email = `${role}-${process.pid}-${(signedInUsers += 1)}@example.com`, teams: string[] = []): Promise<SignedInUser> => {
    const password = `${role} password of some length`;
    const teamService = app.get(TeamsService);
    const teamIds: string[] = [];
    for (const name of teams) teamIds.push((await teamService.resolve(name, 'teams').catch(() => teamService.create({ name }).then((view) => view.team))).id);
    const user = await app.get(TenancyService).createUser(email, password, role, teamIds);
    const answer = await login(baseUrl, email, password);
    if (answer.status !== 200) throw new Error(`${email} could not sign in: ${answer.status} ${JSON.stringify(answer.body)}`);
    return { userId: user.id, email: user.email, password, token: answer.body.token as string };
  };
  const graphql = async <T,>(query: string, variables?: Record<string, unknown>, authToken: string = token): Promise<GraphqlAnswer<T>> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${authToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlAnswer<T>;
  };
  return {
    app,
    engines,
    baseUrl,
    ingestKey: testIngestKey,
    adminPassword: testAdminPassword,
    sessionToken: token,
    signIn,
    graphql,
    async close() {
      await stopHttpApp(app, engines, 10_000, (line) => console.warn(line));
    },
  };
}

export async function postEvents(testApp: TestApp, body: string | unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.ingestKey}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
