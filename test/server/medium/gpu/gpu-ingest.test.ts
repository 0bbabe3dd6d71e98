import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuRepository } from '../../../../server/src/modules/gpu/gpu.repository';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { postGpuSamples, type SampleInput } from './gpu-support';

const sample = (extra: Partial<SampleInput> = {}): SampleInput => ({
  timestamp: '2026-03-02T10:00:00.000Z',
  node: 'gpu-node-a',
  gpuUuid: 'GPU-aaaa',
  gpuIndex: 0,
  gpuName: 'NVIDIA H100 80GB HBM3',
  migInstance: null,
  utilizationRatio: 0.5,
  memoryUtilizationRatio: 0.25,
  memoryUsedBytes: 40 * 1024 ** 3,
  memoryTotalBytes: 80 * 1024 ** 3,
  powerDrawWatts: 312.45,
  powerLimitWatts: 700,
  temperatureCelsius: 61,
  smClockHertz: 1_980_000_000,
  eccErrorsTotal: 0,
  throttleReasons: [],
  ...extra,
});

describe('POST /api/v1/ingest/gpu on real engines', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const count = async (table: string, condition = '1') => {
    const result = await testApp.engines.clickhouse.query({
      query: `SELECT count() AS count FROM warden.${table} WHERE ${condition}`,
      format: 'JSONEachRow',
    });
    return Number(((await result.json()) as Array<{ count: string }>)[0].count);
  };
  const rollupSamples = async (table: string, condition = '1') => {
    const result = await testApp.engines.clickhouse.query({
      query: `SELECT sum(samples) AS samples FROM warden.${table} WHERE ${condition}`,
      format: 'JSONEachRow',
    });
    return Number(((await result.json()) as Array<{ samples: string }>)[0].samples);
  };

  it('keeps good samples and refuses bad ones naming each field and reason', async () => {
    const { status, body } = await postGpuSamples(testApp, {
      samples: [
        sample({ timestamp: '2026-03-02T10:00:00Z' }),
        sample({ timestamp: 'yesterday', utilizationRatio: 55, gpuUuid: '' }),
        { ...sample({ timestamp: '2026-03-02T10:00:15Z' }), gpu_uuid: 'x' },
        sample({ timestamp: '2026-03-02T10:00:30Z', memoryUsedBytes: -1, throttleReasons: 'hot' as unknown as string[], gpuIndex: 1.5 }),
        sample({ timestamp: '2099-01-01T00:00:00Z' }),
        'not an object',
      ],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 5 });
    const results = body.results as Array<{ index: number; status: string; errors?: Array<{ field: string; message: string }> }>;
    const fields = (index: number) => results[index].errors?.map((problem) => problem.field).sort();
    expect(fields(1)).toEqual(['gpuUuid', 'timestamp', 'utilizationRatio']);
    expect(results[1].errors?.find((problem) => problem.field === 'utilizationRatio')?.message).toMatch(/0 to 1/);
    expect(results[2].errors).toEqual([{ field: 'gpu_uuid', message: 'unknown field (did you mean "gpuUuid"?)' }]);
    expect(fields(3)).toEqual(['gpuIndex', 'memoryUsedBytes', 'throttleReasons']);
    expect(results[4].errors).toEqual([{ field: 'timestamp', message: 'is more than 24 hours in the future' }]);
    expect(fields(5)).toEqual(['(sample)']);
    expect(await count('gpu_samples')).toBe(1);
  });

  it('answers 400 when every sample is refused, 400 for a body without samples, 401 without a key', async () => {
    const allBad = await postGpuSamples(testApp, { samples: [{ node: 'x' }] });
    expect(allBad.status).toBe(400);
    expect(allBad.body).toMatchObject({ accepted: 0, rejected: 1 });
    const noSamples = await postGpuSamples(testApp, { gpus: [] });
    expect(noSamples.status).toBe(400);
    expect(noSamples.body).toMatchObject({ error: { code: 'malformed_payload' } });
    const malformed = await postGpuSamples(testApp, '{"samples": [');
    expect(malformed.status).toBe(400);
    const noKey = await fetch(`${testApp.baseUrl}/api/v1/ingest/gpu`, { method: 'POST', body: '{"samples":[]}' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('never counts a re-sent sample twice: not in raw rows, not in either rollup', async () => {
    const batch = [0, 15, 30, 45].map((second) => sample({ timestamp: `2026-03-02T11:00:${String(second).padStart(2, '0')}Z`, gpuUuid: 'GPU-dedup' }));
    const first = await postGpuSamples(testApp, { samples: batch });
    expect(first.body).toMatchObject({ accepted: 4, duplicates: 0 });
    // Re-sent after a lost answer, plus one new sample and one repeated inside the same request.
    const again = await postGpuSamples(testApp, {
      samples: [...batch, sample({ timestamp: '2026-03-02T11:01:00Z', gpuUuid: 'GPU-dedup' }), sample({ timestamp: '2026-03-02T11:01:00Z', gpuUuid: 'GPU-dedup' })],
    });
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 5, rejected: 0 });
    // The same instant on another GPU, or written with another spelling of the same instant, is told apart correctly.
    const other = await postGpuSamples(testApp, { samples: [sample({ timestamp: '2026-03-02T11:00:00Z', gpuUuid: 'GPU-other' }), sample({ timestamp: '2026-03-02T12:00:00+01:00', gpuUuid: 'GPU-dedup' })] });
    expect(other.body).toMatchObject({ accepted: 1, duplicates: 1 });
    const condition = "gpu_uuid = 'GPU-dedup'";
    expect(await count('gpu_samples', condition)).toBe(5);
    expect(await rollupSamples('gpu_samples_1m', condition)).toBe(5);
    expect(await rollupSamples('gpu_samples_1h', condition)).toBe(5);

    // Both rollups rebuilt from the stored samples, as after a crash on the embedded engine: the same counts.
    await testApp.app.get(GpuRepository).rollups.rebuildFor([{ timestamp: '2026-03-02 11:00:00.000' }]);
    expect(await rollupSamples('gpu_samples_1m', condition)).toBe(5);
    expect(await rollupSamples('gpu_samples_1h', condition)).toBe(5);
    expect(await rollupSamples('gpu_samples_1h', "gpu_uuid = 'GPU-other'")).toBe(1);
  });

  it('accepts gzip, NDJSON and a bare JSON array', async () => {
    const gzipped = await fetch(`${testApp.baseUrl}/api/v1/ingest/gpu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${testApp.ingestKey}` },
      body: zlib.gzipSync(JSON.stringify({ samples: [sample({ gpuUuid: 'GPU-gzip' })] })),
    });
    expect(await gzipped.json()).toMatchObject({ accepted: 1 });
    const ndjson = await postGpuSamples(testApp, [JSON.stringify(sample({ gpuUuid: 'GPU-nd' })), '{oops'].join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(ndjson.body).toMatchObject({ accepted: 1, rejected: 1 });
    const array = await postGpuSamples(testApp, [sample({ gpuUuid: 'GPU-array' })]);
    expect(array.body).toMatchObject({ accepted: 1 });
  });
});
