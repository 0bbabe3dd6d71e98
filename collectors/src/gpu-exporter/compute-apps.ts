/**
 * Per-process GPU memory from `nvidia-smi --query-compute-apps`. With MIG enabled nvidia-smi attributes
 * processes to the parent GPU's uuid, so processes join GPUs by uuid.
 */
import { columnUnit, parseCsvTable } from './csv-table';
import { parseCount, parseQuantity, parseText } from './value-parsing';

export const COMPUTE_APPS_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'] as const;

export interface ComputeProcess {
  readonly gpuUuid: string;
  readonly pid: number;
  readonly processName: string;
  /** Undefined when nvidia-smi cannot tell (Windows WDDM, MIG without permissions). */
  readonly usedMemoryBytes: number | undefined;
}

export function parseComputeApps(text: string): ComputeProcess[] {
  const table = parseCsvTable(text);
  const memoryColumn = table.columns.some((column) => column.field === 'used_gpu_memory')
    ? 'used_gpu_memory'
    : 'used_memory';
  const processes: ComputeProcess[] = [];
  for (const row of table.rows) {
    const gpuUuid = parseText(row.get('gpu_uuid'));
    const pid = parseCount(row.get('pid'));
    if (gpuUuid === undefined || pid === undefined) continue;
    processes.push({
      gpuUuid,
      pid,
      processName: parseText(row.get('process_name') ?? row.get('name')) ?? '',
      usedMemoryBytes: parseQuantity(row.get(memoryColumn), columnUnit(table, memoryColumn), 'MiB'),
    });
  }
  return processes;
}
