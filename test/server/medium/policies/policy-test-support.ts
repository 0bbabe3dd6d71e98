import { randomUUID } from 'node:crypto';
import type { ApiKeyScope } from '../../../../server/src/modules/tenancy/api-key.entity';
import { ApiKeysService } from '../../../../server/src/modules/tenancy/api-keys.service';
import type { TestApp } from '../../../support/test-app';

/** An organisation-level API key with one scope, created by tenancy (stored hashed); answers its secret. */
export async function createScopedKey(testApp: TestApp, scope: ApiKeyScope, name = `${scope} key ${randomUUID().slice(0, 8)}`): Promise<{ id: string; secret: string }> {
  const { record, secret } = await testApp.app.get(ApiKeysService, { strict: false }).create({ name, scopes: [scope] });
  return { id: record.key.id, secret };
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
