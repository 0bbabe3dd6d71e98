import { describe, expect, it } from 'vitest';
import { validateGpuSample } from '../../../../server/src/modules/gpu/dto/validate-gpu-sample';
import { allocateByWeight, computeOnPremCost, ratesForHour, energyCostNanoUsd, perMillionNanoUsd } from '../../../../server/src/modules/gpu/gpu-cost';
import { GpuResolution, planRange, planSeries, planWindow } from '../../../../server/src/modules/gpu/series-resolution';

const now = Date.parse('2026-03-02T12:00:00Z');
const valid = { timestamp: '2026-03-02T11:59:45Z', node: 'n1', gpuUuid: 'GPU-1', gpuIndex: 0 };

describe('validateGpuSample', () => {
  it('accepts the minimal sample, with every measurement null and no throttle reasons', () => {
    const result = validateGpuSample(valid, now);
    expect(result).toMatchObject({ sample: { node: 'n1', gpuName: '', migInstance: '', utilizationRatio: null, powerDrawWatts: null, throttleReasons: [] } });
  });

  it('names every bad field with its reason', () => {
    const result = validateGpuSample({ ...valid, gpuIndex: -1, temperatureCelsius: 'hot', smClockHertz: 1.5, powerDrawWatts: Number.NaN, Node: 'x' }, now);
    expect('problems' in result && result.problems.map((problem) => problem.field).sort()).toEqual(['Node', 'gpuIndex', 'powerDrawWatts', 'smClockHertz', 'temperatureCelsius']);
  });

  it('refuses a sample over 24 h ahead and accepts one just under', () => {
    expect(validateGpuSample({ ...valid, timestamp: '2026-03-03T12:00:01Z' }, now)).toHaveProperty('problems');
    expect(validateGpuSample({ ...valid, timestamp: '2026-03-03T11:59:59Z' }, now)).toHaveProperty('sample');
  });

  it('sorts and deduplicates throttle reasons, so equal sets compare equal', () => {
    const result = validateGpuSample({ ...valid, throttleReasons: ['sw_power_cap', 'gpu_idle', 'sw_power_cap'] }, now);
    expect(result).toMatchObject({ sample: { throttleReasons: ['gpu_idle', 'sw_power_cap'] } });
  });
});

describe('series resolution', () => {
  const at = (text: string) => new Date(text);
  it.each([
    ['2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', 15, GpuResolution.RAW],
    ['2026-03-02T10:00:00Z', '2026-03-02T13:00:00Z', 15, GpuResolution.RAW],
    ['2026-03-02T10:00:00Z', '2026-03-02T16:00:00Z', 30, GpuResolution.RAW],
    ['2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', 300, GpuResolution.MINUTE],
    ['2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z', 900, GpuResolution.MINUTE],
    ['2026-02-01T00:00:00Z', '2026-03-03T00:00:00Z', 3600, GpuResolution.HOUR],
    ['2025-12-01T00:00:00Z', '2026-03-01T00:00:00Z', 3 * 3600, GpuResolution.HOUR],
    ['2025-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 86400, GpuResolution.HOUR],
  ])('%s → %s: %i s from %s', (from, to, bucketSeconds, resolution) => {
    const plan = planSeries(at(from), at(to));
    expect(plan).toMatchObject({ bucketSeconds, resolution });
    expect((plan.to.getTime() - plan.from.getTime()) / 1000 / bucketSeconds).toBeLessThanOrEqual(720 + 1);
  });

  it('widens a range to whole buckets', () => {
    const plan = planSeries(at('2026-03-02T00:02:10Z'), at('2026-03-03T00:01:00Z'));
    expect(plan.from.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(plan.to.toISOString()).toBe('2026-03-03T00:05:00.000Z');
  });

  it('reads windows from the coarsest rollup that tiles them exactly', () => {
    expect(planWindow(at('2026-03-02T12:00:00Z'), 24).resolution).toBe(GpuResolution.HOUR);
    expect(planWindow(at('2026-03-02T12:34:56Z'), 24)).toEqual({ resolution: GpuResolution.MINUTE, from: at('2026-03-01T12:34:00Z'), to: at('2026-03-02T12:34:00Z') });
    expect(planRange(at('2026-03-02T10:00:00Z'), at('2026-03-02T10:00:30Z')).resolution).toBe(GpuResolution.RAW);
  });
});

describe('GPU cost per token math', () => {
  it('allocates by largest remainder so the parts always add up', () => {
    expect(allocateByWeight(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(allocateByWeight(100n, [1n, 2n, 7n])).toEqual([10n, 20n, 70n]);
    expect(allocateByWeight(7n, [0n, 0n])).toEqual([0n, 0n]);
    const parts = allocateByWeight(1_000_000_007n, [333n, 333n, 334n, 1n]);
    expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(1_000_000_007n);
  });

  it('prices energy from the exact mean draw: 2 GPUs at 500 W for an hour, $0.10/kWh, PUE 1.5 = $0.15', () => {
    const rates = { hourlyCostNanoUsd: 0n, energyPriceNanoUsdPerKwh: 100_000_000n, powerOverheadMilli: 1500n };
    const gpus = [{ milliwattsSum: 500_000n * 240n, samples: 240n }, { milliwattsSum: 1_000_000n, samples: 2n }];
    expect(energyCostNanoUsd(gpus, rates)).toBe(150_000_000n);
    // A mean of a third of a milliwatt is kept as a fraction and rounded once, half-up, at the end:
    // 1/3 mWh × 2,000,000 nano-USD/kWh = 2/3 nano-USD → 1; × 1,000,000 = 1/3 → 0.
    const third = [{ milliwattsSum: 1n, samples: 3n }];
    expect(energyCostNanoUsd(third, { ...rates, energyPriceNanoUsdPerKwh: 2_000_000n, powerOverheadMilli: 1000n })).toBe(1n);
    expect(energyCostNanoUsd(third, { ...rates, energyPriceNanoUsdPerKwh: 1_000_000n, powerOverheadMilli: 1000n })).toBe(0n);
  });

  it('keeps idle hours out of the per-token cost and names unregistered nodes', () => {
    const hour = Date.parse('2026-03-02T10:00:00Z');
    const rates = new Map([['n1', [{ fromHourMs: 0, rates: { hourlyCostNanoUsd: 1_000_000_000n, energyPriceNanoUsdPerKwh: 0n, powerOverheadMilli: 1000n } }]]]);
    const result = computeOnPremCost(
      rates,
      [{ hourMs: hour + 3600_000, node: 'n1', gpuUuid: 'g', milliwattsSum: 100n, samples: 1n }],
      [
        { hourMs: hour, node: 'n1', model: 'm', requests: 1n, inputTokens: 1_000_000n, outputTokens: 0n },
        { hourMs: hour, node: 'other', model: 'm', requests: 1n, inputTokens: 5n, outputTokens: 5n },
      ],
      { inputMilli: 1000n, outputMilli: 4000n },
    );
    expect(result.nodes[0]).toMatchObject({ observedHours: 2, busyHours: 1, idleHours: 1, idleCostNanoUsd: 1_000_000_000n, allocatedCostNanoUsd: 1_000_000_000n });
    expect(result.models[0]).toMatchObject({ inputCostNanoUsd: 1_000_000_000n, outputCostNanoUsd: 0n });
    expect(perMillionNanoUsd(result.models[0].inputCostNanoUsd, result.models[0].inputTokens)).toBe(1_000_000_000n);
    expect(perMillionNanoUsd(1n, 0n)).toBeNull();
    expect(result.unregisteredNodes).toEqual(['other']);
  });

  it("costs each hour with the node's rate version for that hour, and leaves hours before the first version unpriced", () => {
    const hour = Date.parse('2026-03-02T10:00:00Z');
    const flat = (hourlyCostNanoUsd: bigint) => ({ hourlyCostNanoUsd, energyPriceNanoUsdPerKwh: 0n, powerOverheadMilli: 1000n });
    // Version A from 10:00, B from 11:30 (prices the 11:00 hour), C from 11:45 (the later one in that hour wins).
    const versions = [
      { fromHourMs: hour, rates: flat(1_000n) },
      { fromHourMs: hour + 3600_000, rates: flat(2_000n) },
      { fromHourMs: hour + 3600_000, rates: flat(3_000n) },
    ];
    expect(ratesForHour(versions, hour - 3600_000)).toBeNull();
    expect(ratesForHour(versions, hour)?.hourlyCostNanoUsd).toBe(1_000n);
    expect(ratesForHour(versions, hour + 2 * 3600_000)?.hourlyCostNanoUsd).toBe(3_000n);
    const served = (hourMs: number) => ({ hourMs, node: 'n1', model: 'm', requests: 1n, inputTokens: 10n, outputTokens: 0n });
    const result = computeOnPremCost(new Map([['n1', versions]]), [], [served(hour - 3600_000), served(hour), served(hour + 3600_000)], { inputMilli: 1000n, outputMilli: 4000n });
    expect(result.nodes[0]).toMatchObject({ observedHours: 3, busyHours: 2, unpricedHours: 1, hourlyCostNanoUsd: 4_000n, totalCostNanoUsd: 4_000n });
    // The unpriced hour's tokens are in no per-token figure.
    expect(result.models[0]).toMatchObject({ inputTokens: 20n, allocatedNanoUsd: 4_000n, busyHours: 2 });
  });
});
