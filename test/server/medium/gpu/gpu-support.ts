import type { TestApp } from '../../../support/test-app';

export interface SampleInput {
  timestamp: string;
  node: string;
  gpuUuid: string;
  gpuIndex: number;
  gpuName?: string;
  migInstance?: string | null;
  utilizationRatio?: number | null;
  memoryUtilizationRatio?: number | null;
  memoryUsedBytes?: number | null;
  memoryTotalBytes?: number | null;
  powerDrawWatts?: number | null;
  powerLimitWatts?: number | null;
  temperatureCelsius?: number | null;
  smClockHertz?: number | null;
  eccErrorsTotal?: number | null;
  throttleReasons?: string[] | null;
}

export async function postGpuSamples(testApp: TestApp, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/gpu`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.ingestKey}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { accepted?: number; duplicates?: number; rejected?: number } };
}

/** Posts in batches of 500, as the exporter does. */
export async function postAll(testApp: TestApp, samples: SampleInput[]): Promise<void> {
  for (let start = 0; start < samples.length; start += 500) {
    const { status, body } = await postGpuSamples(testApp, { samples: samples.slice(start, start + 500) });
    if (status !== 200 || body.rejected !== 0) throw new Error(`ingest failed: ${status} ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export async function graphqlData<T>(testApp: TestApp, query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
  const answer = await testApp.graphql<T>(query, variables, token);
  if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** Instants every `stepSeconds` in [from, to). */
export function instants(from: string, to: string, stepSeconds: number): Date[] {
  const out: Date[] = [];
  for (let at = Date.parse(from); at < Date.parse(to); at += stepSeconds * 1000) out.push(new Date(at));
  return out;
}

export const gib = 1024 ** 3;
