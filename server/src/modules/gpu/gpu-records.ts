import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { GpuAggregateRecord } from './gpu.repository';

// Small readers shared by the GPU services: ClickHouse answers times without a zone and numbers as text.

export const hourMs = 3600_000;
const maxRangeDays = 400;

export const toDate = (text: string) => new Date(text.endsWith('Z') ? text : `${text}Z`);
export const numberOrNull = (value: number | string | null | undefined) => (value === null || value === undefined ? null : Number(value));

export function identityOf(record: GpuAggregateRecord) {
  return { node: record.node, gpuUuid: record.gpu_uuid, migInstance: record.mig_instance, gpuIndex: Number(record.gpu_index), gpuName: record.gpu_name };
}

export function validateRange(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError(ErrorCode.Validation, '"from" and "to" must be dates');
  if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
  if (to.getTime() - from.getTime() > maxRangeDays * 24 * hourMs) throw new DomainError(ErrorCode.Validation, `The range may span at most ${maxRangeDays} days`);
}
