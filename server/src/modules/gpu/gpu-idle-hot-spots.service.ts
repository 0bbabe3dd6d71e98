import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { identityOf, numberOrNull, toDate, validateRange } from './gpu-records';
import { GpuScopeService } from './gpu-scope.service';
import { GpuRepository, throttlingReasons, type GpuAggregateRecord } from './gpu.repository';
import type { GpuFleetFilter, GpuHotSpotsModel, IdleGpusModel } from './models/gpu-fleet.model';
import { planRange, planWindow } from './series-resolution';

/** GPUs that want attention: idle ones (paid for, unused) and hot spots (heat, throttling, ECC errors). */
@Injectable()
export class GpuIdleHotSpotsService {
  constructor(
    private readonly repository: GpuRepository,
    private readonly scope: GpuScopeService,
  ) {}

  /**
   * GPUs whose mean utilisation over the `hours` before `at` is under `belowRatio`. A GPU must have reported from
   * the window's first tenth to its last: one that appeared an hour ago has not been idle for a day, and one that
   * stopped reporting is stale, not idle.
   */
  async idleGpus(at: Date, hours: number, belowRatio: number, filter?: GpuFleetFilter): Promise<IdleGpusModel> {
    if (!(hours >= 1 && hours <= 24 * 90)) throw new DomainError(ErrorCode.Validation, 'hours must be from 1 to 2160');
    if (!(belowRatio > 0 && belowRatio <= 1)) throw new DomainError(ErrorCode.Validation, 'belowUtilizationRatio must be above 0 and at most 1');
    const window = planWindow(at, hours);
    const answer: IdleGpusModel = { from: window.from, to: window.to, belowUtilizationRatio: belowRatio, resolution: window.resolution, gpus: [] };
    const scope = await this.scope.scopeOf(filter, at);
    if (scope.nodes && scope.nodes.length === 0) return answer;
    const records = await this.repository.gpuWindow(window.resolution, window.from, window.to, scope);
    const tenth = (window.to.getTime() - window.from.getTime()) / 10;
    const reportedThrough = (record: GpuAggregateRecord) =>
      toDate(record.first_seen).getTime() <= window.from.getTime() + tenth && toDate(record.last_seen).getTime() >= window.to.getTime() - tenth;
    answer.gpus = records
      .filter((record) => record.utilization_avg !== null && Number(record.utilization_avg) < belowRatio && reportedThrough(record))
      .sort((first, second) => Number(first.utilization_avg) - Number(second.utilization_avg) || first.node.localeCompare(second.node) || Number(first.gpu_index) - Number(second.gpu_index))
      .map((record) => ({
        ...identityOf(record),
        averageUtilizationRatio: Number(record.utilization_avg),
        maxUtilizationRatio: numberOrNull(record.utilization_max),
        averagePowerDrawWatts: numberOrNull(record.power_avg),
        maxMemoryUsedBytes: numberOrNull(record.memory_used_max),
        samples: Number(record.samples),
        firstSeen: toDate(record.first_seen),
        lastSeen: toDate(record.last_seen),
      }));
    return answer;
  }

  /** GPUs over `temperatureAbove`, throttled (thermal, power brake, power cap) or gaining ECC errors in [from, to). */
  async hotSpots(from: Date, to: Date, temperatureAbove: number, filter?: GpuFleetFilter): Promise<GpuHotSpotsModel> {
    validateRange(from, to);
    const range = planRange(from, to);
    const answer: GpuHotSpotsModel = { from, to, temperatureAboveCelsius: temperatureAbove, resolution: range.resolution, gpus: [] };
    const scope = await this.scope.scopeOf(filter, to);
    if (scope.nodes && scope.nodes.length === 0) return answer;
    const records = await this.repository.gpuWindow(range.resolution, range.from, range.to, scope);
    answer.gpus = records
      .map((record) => {
        const maxTemperature = numberOrNull(record.temperature_max);
        const throttleReasons = record.throttle_reasons.filter((reason) => throttlingReasons.includes(reason));
        const newEccErrors = record.ecc_errors_max === null || record.ecc_errors_min === null ? null : Number(record.ecc_errors_max) - Number(record.ecc_errors_min);
        const reasons: string[] = [];
        if (maxTemperature !== null && maxTemperature > temperatureAbove) reasons.push('TEMPERATURE');
        if (Number(record.throttled_samples) > 0) reasons.push('THROTTLING');
        if (newEccErrors !== null && newEccErrors > 0) reasons.push('ECC');
        return {
          ...identityOf(record),
          reasons,
          maxTemperatureCelsius: maxTemperature,
          averageTemperatureCelsius: numberOrNull(record.temperature_avg),
          throttleReasons,
          throttledSamples: Number(record.throttled_samples),
          samples: Number(record.samples),
          newEccErrors,
          eccErrorsTotal: numberOrNull(record.ecc_errors_max),
          lastSeen: toDate(record.last_seen),
        };
      })
      .filter((spot) => spot.reasons.length > 0)
      .sort((first, second) => (second.maxTemperatureCelsius ?? -Infinity) - (first.maxTemperatureCelsius ?? -Infinity) || first.node.localeCompare(second.node) || first.gpuIndex - second.gpuIndex);
    return answer;
  }
}
