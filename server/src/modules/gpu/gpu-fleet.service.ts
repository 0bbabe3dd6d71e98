import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { hourMs, numberOrNull, toDate } from './gpu-records';
import { GpuScopeService } from './gpu-scope.service';
import { GpuRepository } from './gpu.repository';
import { GpuStatus, type GpuFleetFilter, type GpuFleetModel, type GpuTileModel } from './models/gpu-fleet.model';

export interface FleetOptions {
  at: Date;
  staleAfterMinutes: number;
  idleBelowRatio: number;
  hotAboveCelsius: number;
  filter?: GpuFleetFilter;
}

const inventoryHours = 24;
// Reasons that mean the GPU is slowed for heat or a hardware power brake (a power cap under load is normal).
const hotThrottleReasons = new Set(['hw_thermal_slowdown', 'sw_thermal_slowdown', 'hw_slowdown', 'hw_power_brake_slowdown']);

/** The fleet now: every GPU seen in the last day with its latest state, and the totals. */
@Injectable()
export class GpuFleetService {
  constructor(
    private readonly repository: GpuRepository,
    private readonly scope: GpuScopeService,
  ) {}

  async fleet(options: FleetOptions): Promise<GpuFleetModel> {
    const { at, staleAfterMinutes } = options;
    if (Number.isNaN(at.getTime())) throw new DomainError(ErrorCode.Validation, '"at" must be a date');
    if (!(staleAfterMinutes >= 1 && staleAfterMinutes <= 24 * 60)) throw new DomainError(ErrorCode.Validation, 'staleAfterMinutes must be from 1 to 1440');
    const empty: GpuFleetModel = {
      at, staleAfterMinutes, gpus: 0, nodes: 0, reportingGpus: 0, idleGpus: 0, hotGpus: 0, staleGpus: 0,
      averageUtilizationRatio: null, memoryUsedBytes: 0, memoryTotalBytes: 0, powerDrawWatts: 0, hottestTemperatureCelsius: null, tiles: [],
    };
    const scope = await this.scope.scopeOf(options.filter, at);
    if (scope.nodes && scope.nodes.length === 0) return empty;
    const [inventory, latest] = await Promise.all([
      this.repository.inventory(new Date(at.getTime() - inventoryHours * hourMs), at, scope),
      this.repository.latest(new Date(at.getTime() - staleAfterMinutes * 60_000), at, scope),
    ]);
    const latestByGpu = new Map(latest.map((record) => [`${record.node}\u0000${record.gpu_uuid}\u0000${record.mig_instance}`, record]));
    const tiles: GpuTileModel[] = inventory.map((gpu) => {
      const record = latestByGpu.get(`${gpu.node}\u0000${gpu.gpu_uuid}\u0000${gpu.mig_instance}`);
      const base = { node: gpu.node, gpuUuid: gpu.gpu_uuid, migInstance: gpu.mig_instance, gpuIndex: Number(gpu.gpu_index), gpuName: gpu.gpu_name };
      if (!record) {
        return {
          ...base, status: GpuStatus.STALE, lastSeen: toDate(gpu.last_seen), utilizationRatio: null, memoryUsedBytes: null, memoryTotalBytes: null,
          powerDrawWatts: null, powerLimitWatts: null, temperatureCelsius: null, smClockHertz: null, eccErrorsTotal: null, throttleReasons: [],
        };
      }
      const [gpuIndex, gpuName, utilization, memoryUsed, memoryTotal, power, powerLimit, temperature, smClock, ecc, reasons] = record.latest;
      const tile: GpuTileModel = {
        ...base,
        gpuIndex: Number(gpuIndex),
        gpuName,
        status: GpuStatus.OK,
        lastSeen: toDate(record.last_seen),
        utilizationRatio: numberOrNull(utilization),
        memoryUsedBytes: numberOrNull(memoryUsed),
        memoryTotalBytes: numberOrNull(memoryTotal),
        powerDrawWatts: numberOrNull(power),
        powerLimitWatts: numberOrNull(powerLimit),
        temperatureCelsius: numberOrNull(temperature),
        smClockHertz: numberOrNull(smClock),
        eccErrorsTotal: numberOrNull(ecc),
        throttleReasons: reasons,
      };
      tile.status = statusOf(tile, options);
      return tile;
    });
    const reporting = tiles.filter((tile) => tile.status !== GpuStatus.STALE);
    const utilizations = reporting.map((tile) => tile.utilizationRatio).filter((value): value is number => value !== null);
    const temperatures = reporting.map((tile) => tile.temperatureCelsius).filter((value): value is number => value !== null);
    const total = (values: Array<number | null>) => values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    return {
      ...empty,
      gpus: tiles.length,
      nodes: new Set(tiles.map((tile) => tile.node)).size,
      reportingGpus: reporting.length,
      idleGpus: tiles.filter((tile) => tile.status === GpuStatus.IDLE).length,
      hotGpus: tiles.filter((tile) => tile.status === GpuStatus.HOT).length,
      staleGpus: tiles.length - reporting.length,
      averageUtilizationRatio: utilizations.length > 0 ? total(utilizations) / utilizations.length : null,
      memoryUsedBytes: total(reporting.map((tile) => tile.memoryUsedBytes)),
      memoryTotalBytes: total(reporting.map((tile) => tile.memoryTotalBytes)),
      powerDrawWatts: total(reporting.map((tile) => tile.powerDrawWatts)),
      hottestTemperatureCelsius: temperatures.length > 0 ? Math.max(...temperatures) : null,
      tiles,
    };
  }
}

function statusOf(tile: GpuTileModel, options: FleetOptions): GpuStatus {
  if ((tile.temperatureCelsius !== null && tile.temperatureCelsius >= options.hotAboveCelsius) || tile.throttleReasons.some((reason) => hotThrottleReasons.has(reason))) {
    return GpuStatus.HOT;
  }
  if (tile.utilizationRatio !== null && tile.utilizationRatio < options.idleBelowRatio) return GpuStatus.IDLE;
  return GpuStatus.OK;
}
