/**
 * The exporter against every real capture, through a fake nvidia-smi: the exposition must match its golden
 * file (UPDATE_GOLDEN=1 rewrites them; review the diff by eye) and pass `promtool check metrics`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthyScenario, type FakeScenario } from './support/fake-nvidia-smi';
import { normalizeExposition, runExporterOnce, sampleValue, seriesCount, type ExporterRun } from './support/exporter-run';
import { itWithPromtool, promtoolCheckMetrics } from './support/promtool';

const GOLDEN = path.resolve(__dirname, 'golden');
const updateGolden = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  readonly golden: string;
  readonly scenario: FakeScenario;
  readonly flags?: string[];
  readonly exitCode: number;
}

const H100_LOAD = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv';
const H100_MIG = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3-MIG__590.48.01__linux__load.csv';

function h200Case(state: 'idle' | 'load'): GoldenCase {
  return {
    golden: `h200-${state}.prom`,
    scenario: {
      helpQueryGpu: { file: 'txt-help-query-gpu__h200__580.159.04__linux.txt' },
      queryGpu: { file: `csv-query-gpu-exporter-fields__h200__580.159.04__linux__${state}.csv` },
      queryComputeApps: { file: `csv-query-compute-apps__h200__580.159.04__linux__${state}.csv` },
    },
    flags: ['--query-compute-apps'],
    exitCode: 0,
  };
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    golden: 'h100-80gb-hbm3-idle.prom',
    scenario: healthyScenario('csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__idle.csv', {
      queryComputeApps: { file: 'csv-query-compute-apps__h100-80gb-hbm3__590.48.01__linux__idle.csv' },
    }),
    flags: ['--query-compute-apps'],
    exitCode: 0,
  },
  {
    golden: 'h100-80gb-hbm3-load.prom',
    scenario: healthyScenario(H100_LOAD, {
      queryComputeApps: { file: 'csv-query-compute-apps__h100-80gb-hbm3__590.48.01__linux__load.csv' },
    }),
    flags: ['--query-compute-apps'],
    exitCode: 0,
  },
  {
    golden: 'h100-80gb-hbm3-mig-load.prom',
    scenario: healthyScenario(H100_MIG, {
      list: { file: 'txt-list-gpus-L__h100-80gb-hbm3-MIG__590.48.01__linux.txt' },
      queryComputeApps: { file: 'csv-query-compute-apps__h100-80gb-hbm3-MIG__590.48.01__linux__load.csv' },
    }),
    flags: ['--query-compute-apps'],
    exitCode: 0,
  },
  // Captured by this exporter's own run on an H200 (driver 580.159.04): its --help-query-gpu, and the query it asked.
  h200Case('idle'),
  h200Case('load'),
  { golden: 'l40s-load.prom', scenario: healthyScenario('csv-query-gpu-AUTO-all-fields__l40s__595.80__linux__load.csv'), exitCode: 0 },
  {
    golden: 'rtx-2080-super-idle.prom',
    scenario: healthyScenario('csv-query-gpu-AUTO-all-fields__rtx-2080-super__595.71.05__linux__idle.csv'),
    exitCode: 0,
  },
  {
    golden: 'rtx-4080-super-load.prom',
    scenario: healthyScenario('csv-query-gpu-AUTO-all-fields__rtx-4080-super__595.71.05__linux__load.csv'),
    exitCode: 0,
  },
  {
    // An older driver answering in `nounits` form: the header keeps "[MiB]", the values drop it.
    golden: 'tesla-p100-nounits.prom',
    scenario: {
      helpQueryGpu: { file: 'txt-help-query-gpu__590.48.01__linux.txt' },
      queryGpu: { file: 'csv-query-gpu-nounits__tesla-p100-pcie-16gb__510.47.03.csv' },
    },
    exitCode: 0,
  },
  {
    // --help-query-gpu unavailable: the built-in field list still yields the core metrics.
    golden: 'l40s-fallback-fields.prom',
    scenario: { queryGpu: { file: 'csv-query-gpu-AUTO-all-fields__l40s__595.80__linux__load.csv', project: true } },
    exitCode: 0,
  },
  {
    golden: 'error-driver-not-loaded.prom',
    scenario: { all: { file: 'err__driver-not-loaded__exit9__couldnt-communicate.txt', exitCode: 9, stream: 'both' } },
    exitCode: 1,
  },
];

const runs = new Map<string, Promise<ExporterRun>>();
function run(goldenCase: GoldenCase): Promise<ExporterRun> {
  let pending = runs.get(goldenCase.golden);
  if (pending === undefined) {
    pending = runExporterOnce(goldenCase.scenario, goldenCase.flags ?? []);
    runs.set(goldenCase.golden, pending);
  }
  return pending;
}

describe('exposition per capture', () => {
  for (const goldenCase of GOLDEN_CASES) {
    it(`${goldenCase.golden} matches its golden file`, async () => {
      const result = await run(goldenCase);
      expect(result.exitCode).toBe(goldenCase.exitCode);
      const actual = normalizeExposition(result.exposition);
      const file = path.join(GOLDEN, goldenCase.golden);
      if (updateGolden || !existsSync(file)) {
        writeFileSync(file, actual);
        if (!updateGolden) throw new Error(`golden file ${goldenCase.golden} was missing and has been written: review it and rerun`);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });

    itWithPromtool(`${goldenCase.golden} passes promtool check metrics`, async () => {
      const result = await run(goldenCase);
      const check = promtoolCheckMetrics(result.exposition);
      expect(check.output).toBe('');
      expect(check.ok).toBe(true);
    });
  }
});

describe('values in base units', () => {
  const byName = (golden: string): Promise<ExporterRun> => run(GOLDEN_CASES.find((c) => c.golden === golden) as GoldenCase);
  const gpu0 = { gpu: '0', node: 'test-node' };

  it('converts MiB to bytes, % to a 0-1 ratio, MHz to Hz, us to seconds (H100 under load)', async () => {
    const { exposition } = await byName('h100-80gb-hbm3-load.prom');
    expect(sampleValue(exposition, 'warden_gpu_memory_used_bytes', gpu0)).toBe(19818 * 1048576);
    expect(sampleValue(exposition, 'warden_gpu_memory_total_bytes', gpu0)).toBe(81559 * 1048576);
    expect(sampleValue(exposition, 'warden_gpu_utilization_ratio', gpu0)).toBe(1);
    expect(sampleValue(exposition, 'warden_gpu_memory_utilization_ratio', gpu0)).toBe(0.11);
    expect(sampleValue(exposition, 'warden_gpu_sm_clock_hertz', gpu0)).toBe(1980e6);
    expect(sampleValue(exposition, 'warden_gpu_memory_clock_hertz', gpu0)).toBe(2619e6);
    expect(sampleValue(exposition, 'warden_gpu_power_draw_watts', gpu0)).toBe(631.95);
    expect(sampleValue(exposition, 'warden_gpu_power_limit_watts', gpu0)).toBe(700);
    expect(sampleValue(exposition, 'warden_gpu_temperature_celsius', gpu0)).toBe(59);
    expect(sampleValue(exposition, 'warden_gpu_process_memory_used_bytes', { pid: '11345' })).toBe(15690 * 1048576);
  });

  it('reads an H200 under a bf16 matrix load as nvidia-smi showed it: full use, power-capped, one process', async () => {
    const { exposition, invocations } = await byName('h200-load.prom');
    expect(sampleValue(exposition, 'warden_gpu_utilization_ratio', gpu0)).toBe(1);
    expect(sampleValue(exposition, 'warden_gpu_memory_used_bytes', gpu0)).toBe(21491 * 1048576);
    expect(sampleValue(exposition, 'warden_gpu_memory_total_bytes', gpu0)).toBe(143771 * 1048576);
    expect(sampleValue(exposition, 'warden_gpu_power_draw_watts', gpu0)).toBe(690.89);
    expect(sampleValue(exposition, 'warden_gpu_sm_clock_hertz', gpu0)).toBe(1455e6);
    expect(sampleValue(exposition, 'warden_gpu_throttle_reason_active', { reason: 'sw_power_cap' })).toBe(1);
    expect(sampleValue(exposition, 'warden_gpu_process_memory_used_bytes', { pid: '521' })).toBe(21482 * 1048576);
    // The fields asked are those the real driver listed: the capture answers exactly that query.
    const asked = invocations.find((args) => args[0]?.startsWith('--query-gpu='))?.[0] ?? '';
    expect(asked.split('=')[1].split(',')).toHaveLength(71);
    const idle = (await byName('h200-idle.prom')).exposition;
    expect(sampleValue(idle, 'warden_gpu_utilization_ratio', gpu0)).toBe(0);
    expect(sampleValue(idle, 'warden_gpu_throttle_reason_active', { reason: 'gpu_idle' })).toBe(1);
  });

  it('puts static facts on warden_gpu_info only', async () => {
    const { exposition } = await byName('h100-80gb-hbm3-load.prom');
    const info = exposition.split('\n').find((line) => line.startsWith('warden_gpu_info{'));
    expect(info).toContain('driver_version="590.48.01"');
    expect(info).toContain('vbios_version="96.00.A5.00.01"');
    expect(info).toContain('name="NVIDIA H100 80GB HBM3"');
    expect(info).toContain('uuid="GPU-00000000-0000-0000-0000-000000000000"');
    expect(info?.endsWith(' 1')).toBe(true);
    const others = exposition.split('\n').filter((line) => !line.startsWith('#') && !line.startsWith('warden_gpu_info{'));
    expect(others.some((line) => line.includes('driver_version='))).toBe(false);
  });

  it('omits series nvidia-smi has no value for, never exporting 0 in their place', async () => {
    const mig = (await byName('h100-80gb-hbm3-mig-load.prom')).exposition;
    // MIG on: utilization.gpu/.memory are [N/A]; fan is [N/A]; remapped rows [N/A].
    expect(seriesCount(mig, 'warden_gpu_utilization_ratio')).toBe(0);
    expect(seriesCount(mig, 'warden_gpu_memory_utilization_ratio')).toBe(0);
    expect(seriesCount(mig, 'warden_gpu_fan_speed_ratio')).toBe(0);
    expect(seriesCount(mig, 'warden_gpu_remapped_rows')).toBe(0);
    expect(sampleValue(mig, 'warden_gpu_memory_used_bytes', gpu0)).toBe(11125 * 1048576);
    // L40S: temperature.memory is "N/A" without brackets.
    const l40s = (await byName('l40s-load.prom')).exposition;
    expect(seriesCount(l40s, 'warden_gpu_memory_temperature_celsius')).toBe(0);
    expect(sampleValue(l40s, 'warden_gpu_temperature_celsius', gpu0)).toBe(54);
    // GeForce: no ECC at all, so no ECC series.
    const geforce = (await byName('rtx-2080-super-idle.prom')).exposition;
    expect(seriesCount(geforce, 'warden_gpu_ecc_errors_total')).toBe(0);
    expect(seriesCount(geforce, 'warden_gpu_ecc_mode_enabled')).toBe(0);
    expect(sampleValue(geforce, 'warden_gpu_fan_speed_ratio', gpu0)).toBe(0.38);
  });

  it('reports MIG mode and the MIG devices from nvidia-smi -L', async () => {
    const { exposition } = await byName('h100-80gb-hbm3-mig-load.prom');
    expect(sampleValue(exposition, 'warden_gpu_mig_mode_enabled', gpu0)).toBe(1);
    expect(seriesCount(exposition, 'warden_gpu_mig_device_info')).toBe(4);
    expect(sampleValue(exposition, 'warden_gpu_mig_device_info', { mig_profile: '3g.40gb', mig_device: '0' })).toBe(1);
    const plain = (await byName('h100-80gb-hbm3-load.prom')).exposition;
    expect(sampleValue(plain, 'warden_gpu_mig_mode_enabled', gpu0)).toBe(0);
  });

  it('reads throttle reasons and their time counters', async () => {
    const { exposition } = await byName('rtx-2080-super-idle.prom');
    expect(sampleValue(exposition, 'warden_gpu_throttle_reason_active', { reason: 'sw_power_cap' })).toBe(1);
    expect(sampleValue(exposition, 'warden_gpu_throttle_reason_active', { reason: 'gpu_idle' })).toBe(0);
    expect(sampleValue(exposition, 'warden_gpu_throttle_duration_seconds_total', { reason: 'sw_power_cap' })).toBe(212.553937);
    expect(sampleValue(exposition, 'warden_gpu_performance_state', gpu0)).toBe(8);
  });

  it('reads the nounits form by header units, and the GPU without an index column as GPU 0', async () => {
    const { exposition } = await byName('tesla-p100-nounits.prom');
    expect(sampleValue(exposition, 'warden_gpu_memory_free_bytes', gpu0)).toBe(16280 * 1048576);
    expect(sampleValue(exposition, 'warden_gpu_power_draw_watts', gpu0)).toBe(28.16);
    expect(sampleValue(exposition, 'warden_gpu_sm_clock_hertz', gpu0)).toBe(405e6);
    expect(sampleValue(exposition, 'warden_gpu_temperature_celsius', gpu0)).toBe(37);
    expect(seriesCount(exposition, 'warden_gpu_fan_speed_ratio')).toBe(0);
  });

  it('asks only for the fields --help-query-gpu lists, and falls back to the built-in list without it', async () => {
    const discovered = await byName('l40s-load.prom');
    const asked = discovered.invocations.find((args) => args[0]?.startsWith('--query-gpu='))?.[0] ?? '';
    expect(asked).toContain('clocks_event_reasons.sw_power_cap');
    expect(discovered.invocations[0]).toEqual(['--help-query-gpu']);
    const fallback = await byName('l40s-fallback-fields.prom');
    expect(fallback.log.some((line) => line.includes('using the built-in field list'))).toBe(true);
    expect(sampleValue(fallback.exposition, 'warden_gpu_exporter_up')).toBe(1);
    expect(sampleValue(fallback.exposition, 'warden_gpu_memory_used_bytes', gpu0)).toBe(1235 * 1048576);
  });
});
