/** Small tests: the parsers on real captures, no processes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../collectors/src/gpu-exporter/csv-table';
import { parseHelpQueryGpu } from '../../collectors/src/gpu-exporter/field-discovery';
import { QUERY_FIELDS, selectSupportedFields } from '../../collectors/src/gpu-exporter/field-catalogue';
import { readGpus } from '../../collectors/src/gpu-exporter/gpu-reading';
import { parseMigDevices } from '../../collectors/src/gpu-exporter/mig-devices';
import { parseComputeApps } from '../../collectors/src/gpu-exporter/compute-apps';
import { isNoValue, parseFlag, parseQuantity } from '../../collectors/src/gpu-exporter/value-parsing';
import { fixture } from './support/fake-nvidia-smi';

const read = (name: string): string => readFileSync(fixture(name), 'utf8');

describe('value parsing', () => {
  it('treats every no-value token as no value', () => {
    for (const token of ['[N/A]', 'N/A', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]', '[Function Not Found]', 'ERR!', '[Requested functionality has been deprecated]', '']) {
      expect(isNoValue(token), token).toBe(true);
      expect(parseQuantity(token, 'W', 'W'), token).toBeUndefined();
    }
  });

  it('converts units from the value, the header, or the documented unit', () => {
    expect(parseQuantity('81559 MiB', 'MiB', 'MiB')).toBe(81559 * 1048576);
    expect(parseQuantity('81559', 'MiB', undefined)).toBe(81559 * 1048576);
    expect(parseQuantity('81559', undefined, 'MiB')).toBe(81559 * 1048576);
    expect(parseQuantity('57 %', '%', '%')).toBe(0.57);
    expect(parseQuantity('1980 MHz', 'MHz', 'MHz')).toBe(1.98e9);
    expect(parseQuantity('204642816 us', 'us', 'us')).toBe(204.642816);
    expect(parseQuantity('433.78 W', 'W', 'W')).toBe(433.78);
    expect(parseQuantity('12 furlongs', undefined, 'W')).toBeUndefined();
  });

  it('reads the old [Not Supported] and the new [N/A] laptop captures alike (header from the documented query)', () => {
    const header = 'memory.total [MiB], memory.free [MiB], memory.used [MiB], temperature.gpu, fan.speed [%], utilization.gpu [%], utilization.memory [%]';
    for (const capture of ['csv-noheader-nounits__laptop__new-driver-NA.csv', 'csv-noheader-nounits__laptop__old-driver-not-supported.csv']) {
      const [gpu] = readGpus(parseCsvTable(`${header}\n${read(capture)}`));
      expect(gpu?.numbers.get('memory.total')).toBe(2004 * 1048576);
      expect(gpu?.numbers.get('temperature.gpu')).toBe(44);
      expect(gpu?.numbers.has('fan.speed')).toBe(false);
      expect(gpu?.numbers.get('utilization.gpu')).toBe(0);
    }
  });

  it('reads the old GeForce capture where most fields are [Not Supported]', () => {
    const header = 'name, utilization.gpu [%], utilization.memory [%], temperature.gpu, power.draw [W], power.limit [W], fan.speed [%], pstate, clocks.current.graphics [MHz], clocks.current.memory [MHz], power.max_limit [W], power.default_limit [W]';
    const [gpu] = readGpus(parseCsvTable(`${header}\n${read('csv-noheader__gtx-770__not-supported-many-fields__windows.csv')}`));
    expect(gpu?.name).toBe('GeForce GTX 770');
    expect(gpu?.numbers.get('temperature.gpu')).toBe(52);
    expect(gpu?.numbers.get('fan.speed')).toBe(0.52);
    expect(gpu?.numbers.get('pstate')).toBe(0);
    expect([...(gpu?.numbers.keys() ?? [])].sort()).toEqual(['fan.speed', 'pstate', 'temperature.gpu']);
  });

  it('maps flags', () => {
    expect(parseFlag('Enabled')).toBe(1);
    expect(parseFlag('Not Active')).toBe(0);
    expect(parseFlag('[N/A]')).toBeUndefined();
  });
});

describe('csv by header', () => {
  it('reads columns by name whatever their position', () => {
    const table = parseCsvTable('memory.used [MiB], index, uuid\n10 MiB, 3, GPU-a\n20 MiB, 4, GPU-b\n');
    const gpus = readGpus(table);
    expect(gpus.map((gpu) => [gpu.index, gpu.uuid, gpu.numbers.get('memory.used')])).toEqual([
      [3, 'GPU-a', 10 * 1048576],
      [4, 'GPU-b', 20 * 1048576],
    ]);
  });

  it('keeps header units in nounits output', () => {
    const table = parseCsvTable(read('csv-query-gpu-nounits__tesla-p100-pcie-16gb__510.47.03.csv'));
    expect(table.columns.find((column) => column.field === 'memory.used')?.unit).toBe('MiB');
    expect(table.rows).toHaveLength(1);
  });
});

describe('field discovery', () => {
  it('lists every field of the 590 catalogue, aliases included, and no description text', () => {
    const names = parseHelpQueryGpu(read('txt-help-query-gpu__590.48.01__linux.txt'));
    expect(names.has('memory.used')).toBe(true);
    expect(names.has('clocks_throttle_reasons.gpu_idle')).toBe(true);
    expect(names.has('gpu_uuid')).toBe(true);
    expect([...names].some((name) => name.includes(' '))).toBe(false);
    const selection = selectSupportedFields(names);
    // Every field the exporter knows is in 590's list; nothing unknown is asked for.
    expect(selection.fields).toHaveLength(QUERY_FIELDS.length);
    expect(selection.requestedNames.get('clocks_event_reasons.gpu_idle')).toBe('clocks_event_reasons.gpu_idle');
  });

  it('asks an older driver by the names it knows', () => {
    const selection = selectSupportedFields(new Set(['index', 'gpu_uuid', 'clocks_throttle_reasons.gpu_idle']));
    expect([...selection.requestedNames.values()]).toEqual(['index', 'gpu_uuid', 'clocks_throttle_reasons.gpu_idle']);
  });
});

describe('MIG devices and processes', () => {
  it('parses nvidia-smi -L', () => {
    const devices = parseMigDevices(read('txt-list-gpus-L__h100-80gb-hbm3-MIG__590.48.01__linux.txt'));
    expect(devices).toHaveLength(4);
    expect(devices[0]).toEqual({
      gpuIndex: 0,
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      profile: '3g.40gb',
      deviceIndex: 0,
      uuid: 'MIG-00000000-0000-0000-0000-000000000000',
    });
  });

  it('parses compute apps, and the header-only idle answer as none', () => {
    const processes = parseComputeApps(read('csv-query-compute-apps__h100-80gb-hbm3__590.48.01__linux__load.csv'));
    expect(processes.map((p) => [p.pid, p.processName, p.usedMemoryBytes])).toEqual([
      [11327, '/root/tools/memhog', 2566 * 1048576],
      [11328, '/root/tools/memhog', 1542 * 1048576],
      [11345, './gpu_burn', 15690 * 1048576],
    ]);
    expect(parseComputeApps(read('csv-query-compute-apps__h100-80gb-hbm3__590.48.01__linux__idle.csv'))).toEqual([]);
  });
});
