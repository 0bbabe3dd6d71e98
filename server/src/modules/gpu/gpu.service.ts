import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { ParsedItem } from '../../engine/http/request-body';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { NodeService } from '../nodes/nodes.service';
import { UsageService } from '../usage/usage.service';
import { SpendDimension } from '../usage/models/spend.model';
import type { FieldProblem } from './dto/gpu-sample';
import { validateGpuSample } from './dto/validate-gpu-sample';
import { gpuSampleKey, timestampMsOfRow, toGpuSampleRow, type GpuSampleRow } from './gpu-sample-row';
import { GpuRepository, throttlingReasons, type GpuAggregateRecord, type GpuScope } from './gpu.repository';
import {
  GpuStatus,
  type GpuFleetFilter,
  type GpuFleetModel,
  type GpuHotSpotsModel,
  type GpuSeriesAnswerModel,
  type GpuSeriesModel,
  type GpuTileModel,
  type IdleGpusModel,
  type NodeGpuSeriesModel,
} from './models/gpu-fleet.model';
import { planRange, planSeries, planWindow } from './series-resolution';

export type GpuItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface GpuItemResult {
  index: number;
  status: GpuItemStatus;
  errors?: FieldProblem[];
}

export interface GpuIngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: GpuItemResult[];
}

export interface FleetOptions {
  at: Date;
  staleAfterMinutes: number;
  idleBelowRatio: number;
  hotAboveCelsius: number;
  filter?: GpuFleetFilter;
}

const hourMs = 3600_000;
const inventoryHours = 24;
const maxRangeDays = 400;
// Reasons that mean the GPU is slowed for heat or a hardware power brake (a power cap under load is normal).
const hotThrottleReasons = new Set(['hw_thermal_slowdown', 'sw_thermal_slowdown', 'hw_slowdown', 'hw_power_brake_slowdown']);

const toDate = (text: string) => new Date(text.endsWith('Z') ? text : `${text}Z`);
const numberOrNull = (value: number | string | null | undefined) => (value === null || value === undefined ? null : Number(value));

@Injectable()
export class GpuService {
  private readonly samplesCounter: Counter<'status'>;

  constructor(
    private readonly repository: GpuRepository,
    private readonly nodes: NodeService,
    private readonly usage: UsageService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    registry: Registry,
  ) {
    this.samplesCounter = new Counter({
      name: 'warden_ingest_gpu_samples_total',
      help: 'GPU samples received, by outcome',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  /** Validates every sample and answers, per sample, only after the good ones are stored. */
  async ingestSamples(items: ParsedItem[], receivedAt = new Date()): Promise<GpuIngestAnswer> {
    const results: GpuItemResult[] = new Array(items.length);
    const rows: GpuSampleRow[] = [];
    const rowIndexes: number[] = [];
    const ingestedAt = clickhouseTime(receivedAt);
    // A key repeated within one request is a duplicate of its first copy, decided here; the writer then reports
    // the keys stored by earlier requests.
    const keysInRequest = new Set<string>();
    items.forEach((item, index) => {
      if ('parseError' in item) {
        results[index] = { index, status: 'rejected', errors: [{ field: '(line)', message: item.parseError }] };
        return;
      }
      const validated = validateGpuSample(item.value, receivedAt.getTime());
      if ('problems' in validated) {
        results[index] = { index, status: 'rejected', errors: validated.problems };
        return;
      }
      // As for requests: the TTL would delete such a row as it is written, so it is refused by name.
      if (validated.sample.timestamp.getTime() + this.config.retentionDays * 86_400_000 < receivedAt.getTime() + 3_600_000) {
        results[index] = {
          index,
          status: 'rejected',
          errors: [{ field: 'timestamp', message: `is older than the ${this.config.retentionDays}-day retention: it would be deleted on arrival` }],
        };
        return;
      }
      const row = toGpuSampleRow(validated.sample, this.config.retentionDays, ingestedAt);
      const key = gpuSampleKey(row.node, row.gpu_uuid, row.mig_instance, timestampMsOfRow(row));
      if (keysInRequest.has(key)) {
        results[index] = { index, status: 'duplicate' };
        return;
      }
      keysInRequest.add(key);
      rows.push(row);
      rowIndexes.push(index);
    });
    const outcome = await this.repository.writeSamples(rows);
    rows.forEach((row, position) => {
      const key = gpuSampleKey(row.node, row.gpu_uuid, row.mig_instance, timestampMsOfRow(row));
      results[rowIndexes[position]] = { index: rowIndexes[position], status: outcome.duplicateKeys.has(key) ? 'duplicate' : 'accepted' };
    });
    const answer: GpuIngestAnswer = { accepted: 0, duplicates: 0, rejected: 0, results };
    for (const result of results) answer[result.status === 'accepted' ? 'accepted' : result.status === 'duplicate' ? 'duplicates' : 'rejected'] += 1;
    this.samplesCounter.inc({ status: 'accepted' }, answer.accepted);
    this.samplesCounter.inc({ status: 'duplicate' }, answer.duplicates);
    this.samplesCounter.inc({ status: 'rejected' }, answer.rejected);
    return answer;
  }

  async fleet(options: FleetOptions): Promise<GpuFleetModel> {
    const { at, staleAfterMinutes } = options;
    if (Number.isNaN(at.getTime())) throw new DomainError(ErrorCode.Validation, '"at" must be a date');
    if (!(staleAfterMinutes >= 1 && staleAfterMinutes <= 24 * 60)) throw new DomainError(ErrorCode.Validation, 'staleAfterMinutes must be from 1 to 1440');
    const empty: GpuFleetModel = {
      at, staleAfterMinutes, gpus: 0, nodes: 0, reportingGpus: 0, idleGpus: 0, hotGpus: 0, staleGpus: 0,
      averageUtilizationRatio: null, memoryUsedBytes: 0, memoryTotalBytes: 0, powerDrawWatts: 0, hottestTemperatureCelsius: null, tiles: [],
    };
    const scope = await this.scopeOf(options.filter, at);
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

  /** One series per GPU of `node` (or the one GPU asked), bucket size chosen from the range. */
  async gpuSeries(from: Date, to: Date, node: string, gpuUuid?: string): Promise<GpuSeriesAnswerModel> {
    validateRange(from, to);
    const plan = planSeries(from, to);
    const records = await this.repository.gpuSeries(plan.resolution, plan.bucketSeconds, plan.from, plan.to, { node, gpuUuid });
    const series = new Map<string, GpuSeriesModel>();
    for (const record of records) {
      const key = `${record.node}\u0000${record.gpu_uuid}\u0000${record.mig_instance}`;
      let entry = series.get(key);
      if (!entry) {
        entry = { node: record.node, gpuUuid: record.gpu_uuid, migInstance: record.mig_instance, gpuIndex: Number(record.gpu_index), gpuName: record.gpu_name, points: [] };
        series.set(key, entry);
      }
      entry.gpuIndex = Number(record.gpu_index);
      entry.gpuName = record.gpu_name;
      entry.points.push({
        time: toDate(record.time!),
        samples: Number(record.samples),
        utilizationRatio: numberOrNull(record.utilization_avg),
        utilizationRatioMax: numberOrNull(record.utilization_max),
        memoryUsedBytes: numberOrNull(record.memory_used_avg),
        memoryTotalBytes: numberOrNull(record.memory_total_max),
        powerDrawWatts: numberOrNull(record.power_avg),
        powerDrawWattsMax: numberOrNull(record.power_max),
        temperatureCelsius: numberOrNull(record.temperature_avg),
        temperatureCelsiusMax: numberOrNull(record.temperature_max),
        smClockHertz: numberOrNull(record.sm_clock_avg),
        throttleReasons: record.throttle_reasons,
      });
    }
    const ordered = [...series.values()].sort((first, second) => first.gpuIndex - second.gpuIndex || first.gpuUuid.localeCompare(second.gpuUuid));
    return { from: plan.from, to: plan.to, bucketSeconds: plan.bucketSeconds, resolution: plan.resolution, series: ordered };
  }

  /** The node as a whole: per bucket, mean utilisation over its GPUs, total memory and power, hottest GPU. */
  async nodeSeries(from: Date, to: Date, node: string): Promise<NodeGpuSeriesModel> {
    validateRange(from, to);
    const plan = planSeries(from, to);
    const records = await this.repository.nodeSeries(plan.resolution, plan.bucketSeconds, plan.from, plan.to, { node });
    return {
      node,
      from: plan.from,
      to: plan.to,
      bucketSeconds: plan.bucketSeconds,
      resolution: plan.resolution,
      points: records.map((record) => ({
        time: toDate(record.time),
        gpus: Number(record.gpus),
        utilizationRatio: numberOrNull(record.utilization_avg),
        utilizationRatioMax: numberOrNull(record.utilization_max),
        memoryUsedBytes: numberOrNull(record.memory_used_bytes),
        memoryTotalBytes: numberOrNull(record.memory_total_bytes),
        powerDrawWatts: numberOrNull(record.power_watts),
        temperatureCelsiusMax: numberOrNull(record.temperature_max),
      })),
    };
  }

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
    const scope = await this.scopeOf(filter, at);
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
    const scope = await this.scopeOf(filter, to);
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

  /** The node names a filter allows; no `nodes` key when the filter allows every node. */
  private async scopeOf(filter: GpuFleetFilter | undefined, at: Date): Promise<GpuScope> {
    if (!filter) return {};
    let allowed: Set<string> | undefined = filter.nodes ? new Set(filter.nodes) : undefined;
    const narrow = (names: Iterable<string>) => {
      const next = new Set(names);
      allowed = allowed ? new Set([...allowed].filter((name) => next.has(name))) : next;
    };
    if (filter.kind || filter.label) {
      const [labelKey, ...labelValue] = (filter.label ?? '').split('=');
      const registered = await this.nodes.findAll();
      narrow(
        registered
          .filter((node) => !filter.kind || node.kind === filter.kind)
          .filter((node) => !filter.label || (labelKey in node.labels && (labelValue.length === 0 || node.labels[labelKey] === labelValue.join('='))))
          .map((node) => node.name),
      );
    }
    if (filter.model) {
      const dayBefore = new Date(Math.floor(at.getTime() / hourMs) * hourMs - 23 * hourMs);
      const rows = await this.usage.spend(dayBefore, new Date(Math.ceil(at.getTime() / hourMs) * hourMs), [SpendDimension.NODE], { model: filter.model });
      narrow(rows.map((row) => row.node ?? '').filter((name) => name !== ''));
    }
    return allowed ? { nodes: [...allowed] } : {};
  }
}

function identityOf(record: GpuAggregateRecord) {
  return { node: record.node, gpuUuid: record.gpu_uuid, migInstance: record.mig_instance, gpuIndex: Number(record.gpu_index), gpuName: record.gpu_name };
}

function statusOf(tile: GpuTileModel, options: FleetOptions): GpuStatus {
  if ((tile.temperatureCelsius !== null && tile.temperatureCelsius >= options.hotAboveCelsius) || tile.throttleReasons.some((reason) => hotThrottleReasons.has(reason))) {
    return GpuStatus.HOT;
  }
  if (tile.utilizationRatio !== null && tile.utilizationRatio < options.idleBelowRatio) return GpuStatus.IDLE;
  return GpuStatus.OK;
}

function validateRange(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError(ErrorCode.Validation, '"from" and "to" must be dates');
  if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
  if (to.getTime() - from.getTime() > maxRangeDays * 24 * hourMs) throw new DomainError(ErrorCode.Validation, `The range may span at most ${maxRangeDays} days`);
}
