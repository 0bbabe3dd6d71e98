import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { gib, graphqlData, instants, postAll, type SampleInput } from './gpu-support';

// A fixed two hours, 2026-03-02 10:00–12:00 UTC, one sample per GPU every 15 s:
//   gpu-a/0 busy (0.8), gpu-a/1 hot and throttled, ECC errors rising at 11:00; gpu-b/0 idle (0.01);
//   gpu-b/1 stops reporting at 11:00 (stale at noon).
const day = '2026-03-02';
const times = instants(`${day}T10:00:00Z`, `${day}T12:00:00Z`, 15);

function fleetSamples(): SampleInput[] {
  const samples: SampleInput[] = [];
  times.forEach((time, step) => {
    const timestamp = time.toISOString();
    const secondHour = time.getUTCHours() === 11;
    samples.push({
      timestamp, node: 'gpu-a', gpuUuid: 'GPU-a0', gpuIndex: 0, gpuName: 'NVIDIA H100 80GB HBM3',
      utilizationRatio: 0.8, memoryUsedBytes: 40 * gib, memoryTotalBytes: 80 * gib, powerDrawWatts: step % 2 === 0 ? 300.25 : 310.5,
      powerLimitWatts: 700, temperatureCelsius: 70, smClockHertz: 1_980_000_000, eccErrorsTotal: 0, throttleReasons: [],
    });
    samples.push({
      timestamp, node: 'gpu-a', gpuUuid: 'GPU-a1', gpuIndex: 1, gpuName: 'NVIDIA H100 80GB HBM3',
      utilizationRatio: step % 2 === 0 ? 0.5 : 0.7, memoryUsedBytes: 60 * gib, memoryTotalBytes: 80 * gib, powerDrawWatts: 250.125,
      powerLimitWatts: 700, temperatureCelsius: secondHour ? 91 : 84, smClockHertz: 1_500_000_000, eccErrorsTotal: secondHour ? 7 : 5,
      throttleReasons: secondHour ? ['hw_thermal_slowdown'] : [],
    });
    samples.push({
      timestamp, node: 'gpu-b', gpuUuid: 'GPU-b0', gpuIndex: 0, gpuName: 'NVIDIA L40S',
      utilizationRatio: 0.01, memoryUsedBytes: 1 * gib, memoryTotalBytes: 48 * gib, powerDrawWatts: 60, powerLimitWatts: 350,
      temperatureCelsius: 35, smClockHertz: 210_000_000, eccErrorsTotal: null, throttleReasons: ['gpu_idle'],
    });
    if (!secondHour) {
      samples.push({
        timestamp, node: 'gpu-b', gpuUuid: 'GPU-b1', gpuIndex: 1, gpuName: 'NVIDIA L40S',
        utilizationRatio: 0.3, memoryUsedBytes: 10 * gib, memoryTotalBytes: 48 * gib, powerDrawWatts: null, powerLimitWatts: 350,
        temperatureCelsius: 50, smClockHertz: null, eccErrorsTotal: null, throttleReasons: null,
      });
    }
  });
  return samples;
}

interface Tile { node: string; gpuIndex: number; gpuUuid: string; status: string; utilizationRatio: number | null; temperatureCelsius: number | null; lastSeen: string; throttleReasons: string[] }

describe('GPU fleet queries on real engines', () => {
  let testApp: TestApp;
  let samples: SampleInput[];
  beforeAll(async () => {
    testApp = await startTestApp();
    samples = fleetSamples();
    await postAll(testApp, samples);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('the 1-minute and 1-hour rollups agree with the raw rows', async () => {
    const query = async (sql: string) => (await (await testApp.engines.clickhouse.query({ query: sql, format: 'JSONEachRow' })).json()) as Array<Record<string, string | number>>;
    const raw = await query(`SELECT gpu_uuid, toStartOfHour(timestamp) AS hour, count() AS samples, sum(toUInt64(round(ifNull(power_draw_watts, 0) * 1000))) AS mw,
                                    avg(utilization_ratio) AS utilization, max(temperature_celsius) AS temperature
                             FROM warden.gpu_samples GROUP BY gpu_uuid, hour ORDER BY gpu_uuid, hour`);
    for (const table of ['gpu_samples_1m', 'gpu_samples_1h']) {
      const rolled = await query(`SELECT gpu_uuid, toStartOfHour(bucket) AS hour, sum(samples) AS samples, sum(power_milliwatts_sum) AS mw,
                                         sum(utilization_sum) / sum(utilization_count) AS utilization, max(temperature_max) AS temperature
                                  FROM warden.${table} GROUP BY gpu_uuid, hour ORDER BY gpu_uuid, hour`);
      expect(rolled.length).toBe(raw.length);
      rolled.forEach((row, index) => {
        expect(row.gpu_uuid).toBe(raw[index].gpu_uuid);
        expect(row.samples).toBe(raw[index].samples);
        expect(row.mw).toBe(raw[index].mw);
        expect(Number(row.utilization)).toBeCloseTo(Number(raw[index].utilization), 6);
        expect(row.temperature).toBe(raw[index].temperature);
      });
    }
    // And against the samples as sent: GPU-a0's first hour is 120 samples alternating 300.25 and 310.5 W.
    const a0 = raw.find((row) => row.gpu_uuid === 'GPU-a0')!;
    expect(a0.samples).toBe('240');
    expect(a0.mw).toBe(String(120 * 300_250 + 120 * 310_500));
  });

  it('summarises the fleet at a fixed instant: one tile per GPU with its status', async () => {
    const { gpuFleet } = await graphqlData<{ gpuFleet: { gpus: number; nodes: number; reportingGpus: number; idleGpus: number; hotGpus: number; staleGpus: number; averageUtilizationRatio: number; memoryUsedBytes: number; memoryTotalBytes: number; powerDrawWatts: number; hottestTemperatureCelsius: number; tiles: Tile[] } }>(
      testApp,
      `{ gpuFleet(at: "${day}T12:00:00Z", staleAfterMinutes: 5) { gpus nodes reportingGpus idleGpus hotGpus staleGpus averageUtilizationRatio
          memoryUsedBytes memoryTotalBytes powerDrawWatts hottestTemperatureCelsius
          tiles { node gpuIndex gpuUuid status utilizationRatio temperatureCelsius lastSeen throttleReasons } } }`,
    );
    expect(gpuFleet).toMatchObject({ gpus: 4, nodes: 2, reportingGpus: 3, idleGpus: 1, hotGpus: 1, staleGpus: 1, hottestTemperatureCelsius: 91 });
    expect(gpuFleet.tiles.map((tile) => [tile.node, tile.gpuIndex, tile.status])).toEqual([
      ['gpu-a', 0, 'OK'], ['gpu-a', 1, 'HOT'], ['gpu-b', 0, 'IDLE'], ['gpu-b', 1, 'STALE'],
    ]);
    // The latest sample is 11:59:45: GPU-a1 alternates, its last step (479) is odd → 0.7.
    expect(gpuFleet.tiles[1]).toMatchObject({ utilizationRatio: 0.7, temperatureCelsius: 91, lastSeen: `${day}T11:59:45.000Z`, throttleReasons: ['hw_thermal_slowdown'] });
    expect(gpuFleet.tiles[3]).toMatchObject({ utilizationRatio: null, lastSeen: `${day}T10:59:45.000Z` });
    expect(gpuFleet.averageUtilizationRatio).toBeCloseTo((0.8 + 0.7 + 0.01) / 3, 6);
    expect(gpuFleet.memoryUsedBytes).toBe(101 * gib);
    expect(gpuFleet.memoryTotalBytes).toBe(208 * gib);
    expect(gpuFleet.powerDrawWatts).toBeCloseTo(310.5 + 250.125 + 60, 3);

    // Earlier in the day GPU-b1 was still reporting; filters narrow to a node; before any data the fleet is empty.
    const earlier = await graphqlData<{ gpuFleet: { tiles: Tile[] } }>(testApp, `{ gpuFleet(at: "${day}T10:30:00Z") { tiles { gpuUuid status } } }`);
    expect(earlier.gpuFleet.tiles.map((tile) => tile.status)).toEqual(['OK', 'OK', 'IDLE', 'OK']);
    const filtered = await graphqlData<{ gpuFleet: { gpus: number } }>(testApp, `{ gpuFleet(at: "${day}T12:00:00Z", filter: { nodes: ["gpu-b"] }) { gpus } }`);
    expect(filtered.gpuFleet.gpus).toBe(2);
    const before = await graphqlData<{ gpuFleet: { gpus: number; tiles: Tile[]; averageUtilizationRatio: number | null } }>(
      testApp, `{ gpuFleet(at: "2026-02-01T00:00:00Z") { gpus tiles { gpuUuid } averageUtilizationRatio } }`);
    expect(before.gpuFleet).toEqual({ gpus: 0, tiles: [], averageUtilizationRatio: null });
  });

  it('chooses the bucket from the range: raw under a minute, 1-minute rollup under an hour, 1-hour rollup beyond', async () => {
    type Answer = { gpuSeries: { bucketSeconds: number; resolution: string; from: string; series: Array<{ gpuUuid: string; points: Array<{ time: string; samples: number; utilizationRatio: number; powerDrawWatts: number; temperatureCelsiusMax: number }> }> } };
    const series = (from: string, to: string) => graphqlData<Answer>(
      testApp,
      `query($from: DateTime!, $to: DateTime!) { gpuSeries(from: $from, to: $to, node: "gpu-a", gpuUuid: "GPU-a0") {
         bucketSeconds resolution from series { gpuUuid points { time samples utilizationRatio powerDrawWatts temperatureCelsiusMax } } } }`,
      { from, to },
    );
    const twoHours = await series(`${day}T10:00:00Z`, `${day}T12:00:00Z`);
    expect(twoHours.gpuSeries).toMatchObject({ bucketSeconds: 15, resolution: 'RAW' });
    expect(twoHours.gpuSeries.series[0].points).toHaveLength(480);
    const oneDay = await series(`${day}T00:00:00Z`, '2026-03-03T00:00:00Z');
    expect(oneDay.gpuSeries).toMatchObject({ bucketSeconds: 300, resolution: 'MINUTE' });
    expect(oneDay.gpuSeries.series[0].points).toHaveLength(24);
    expect(oneDay.gpuSeries.series[0].points[0]).toMatchObject({ time: `${day}T10:00:00.000Z`, samples: 20, utilizationRatio: expect.closeTo(0.8, 6) });
    expect(oneDay.gpuSeries.series[0].points[0].powerDrawWatts).toBeCloseTo((300.25 + 310.5) / 2, 6);
    const month = await series('2026-02-15T00:00:00Z', '2026-03-15T00:00:00Z');
    expect(month.gpuSeries).toMatchObject({ bucketSeconds: 3600, resolution: 'HOUR' });
    expect(month.gpuSeries.series[0].points.map((point) => point.samples)).toEqual([240, 240]);
    const year = await series('2025-06-01T00:00:00Z', '2026-06-01T00:00:00Z');
    expect(year.gpuSeries).toMatchObject({ bucketSeconds: 86400, resolution: 'HOUR' });
    expect(year.gpuSeries.series[0].points).toEqual([expect.objectContaining({ time: `${day}T00:00:00.000Z`, samples: 480 })]);
    const empty = await series('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z');
    expect(empty.gpuSeries.series).toEqual([]);

    const node = await graphqlData<{ nodeGpuSeries: { bucketSeconds: number; points: Array<{ gpus: number; utilizationRatio: number; powerDrawWatts: number; temperatureCelsiusMax: number; memoryUsedBytes: number }> } }>(
      testApp,
      `{ nodeGpuSeries(from: "${day}T10:00:00Z", to: "${day}T16:00:00Z", node: "gpu-a") { bucketSeconds points { gpus utilizationRatio powerDrawWatts temperatureCelsiusMax memoryUsedBytes } } }`,
    );
    expect(node.nodeGpuSeries.bucketSeconds).toBe(30);
    const firstPoint = node.nodeGpuSeries.points[0];
    expect(firstPoint).toMatchObject({ gpus: 2, temperatureCelsiusMax: 84, memoryUsedBytes: 100 * gib });
    expect(firstPoint.utilizationRatio).toBeCloseTo((0.8 + 0.6) / 2, 6);
    expect(firstPoint.powerDrawWatts).toBeCloseTo((300.25 + 310.5) / 2 + 250.125, 6);

    const bad = await testApp.graphql(`{ gpuSeries(from: "${day}T12:00:00Z", to: "${day}T10:00:00Z", node: "gpu-a") { bucketSeconds } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('finds idle GPUs (under X% for Y hours) and hot spots (temperature, throttling, ECC)', async () => {
    const { idleGpus } = await graphqlData<{ idleGpus: { resolution: string; gpus: Array<{ node: string; gpuUuid: string; averageUtilizationRatio: number; samples: number }> } }>(
      testApp,
      `{ idleGpus(at: "${day}T12:00:00Z", hours: 2, belowUtilizationRatio: 0.05) { resolution gpus { node gpuUuid averageUtilizationRatio samples } } }`,
    );
    expect(idleGpus.resolution).toBe('HOUR');
    expect(idleGpus.gpus).toEqual([{ node: 'gpu-b', gpuUuid: 'GPU-b0', averageUtilizationRatio: expect.closeTo(0.01, 6), samples: 480 }]);
    const generous = await graphqlData<{ idleGpus: { resolution: string; gpus: Array<{ gpuUuid: string }> } }>(
      testApp, `{ idleGpus(at: "${day}T11:59:30Z", hours: 1, belowUtilizationRatio: 0.65) { resolution gpus { gpuUuid } } }`);
    expect(generous.idleGpus.resolution).toBe('MINUTE');
    expect(generous.idleGpus.gpus.map((gpu) => gpu.gpuUuid)).toEqual(['GPU-b0', 'GPU-a1']);

    const { gpuHotSpots } = await graphqlData<{ gpuHotSpots: { gpus: Array<{ gpuUuid: string; reasons: string[]; maxTemperatureCelsius: number; throttleReasons: string[]; throttledSamples: number; newEccErrors: number | null }> } }>(
      testApp,
      `{ gpuHotSpots(from: "${day}T10:00:00Z", to: "${day}T12:00:00Z", temperatureAboveCelsius: 85) {
          gpus { gpuUuid reasons maxTemperatureCelsius throttleReasons throttledSamples newEccErrors } } }`,
    );
    expect(gpuHotSpots.gpus).toEqual([
      { gpuUuid: 'GPU-a1', reasons: ['TEMPERATURE', 'THROTTLING', 'ECC'], maxTemperatureCelsius: 91, throttleReasons: ['hw_thermal_slowdown'], throttledSamples: 240, newEccErrors: 2 },
    ]);
    const firstHour = await graphqlData<{ gpuHotSpots: { resolution: string; gpus: unknown[] } }>(
      testApp, `{ gpuHotSpots(from: "${day}T10:00:00Z", to: "${day}T10:59:50Z") { resolution gpus { gpuUuid } } }`);
    expect(firstHour.gpuHotSpots).toEqual({ resolution: 'RAW', gpus: [] });
  });
});
