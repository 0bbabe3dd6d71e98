import { randomUUID } from 'node:crypto';
import { hashApiKey, generateSecret } from '../../../../server/src/engine/auth/passwords';
import type { ApiKeyScope } from '../../../../server/src/modules/tenancy/api-key.entity';
import { TenancyRepository } from '../../../../server/src/modules/tenancy/tenancy.repository';
import type { TestApp } from '../../../support/test-app';

/** An API key with one scope, created the way tenancy stores keys (hashed); answers its secret. */
export async function createScopedKey(testApp: TestApp, scope: ApiKeyScope, name = `${scope} key ${randomUUID().slice(0, 8)}`): Promise<{ id: string; secret: string }> {
  const secret = `wk_${generateSecret(24)}`;
  const key = await testApp.app.get(TenancyRepository, { strict: false }).createKey(name, secret.slice(0, 7), hashApiKey(secret), scope);
  return { id: key.id, secret };
}

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  testApp: TestApp,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpAnswer<T>> {
  const response = await fetch(`${testApp.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** A name unique to this run: quota counters on a shared Redis outlive a test run. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
