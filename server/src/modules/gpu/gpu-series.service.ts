import { Injectable } from '@nestjs/common';
import { numberOrNull, toDate, validateRange } from './gpu-records';
import { GpuRepository } from './gpu.repository';
import type { GpuSeriesAnswerModel, GpuSeriesModel, NodeGpuSeriesModel } from './models/gpu-fleet.model';
import { planSeries } from './series-resolution';

/** Time series of one GPU or one node, the bucket size chosen from the range. */
@Injectable()
export class GpuSeriesService {
  constructor(private readonly repository: GpuRepository) {}

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
}
