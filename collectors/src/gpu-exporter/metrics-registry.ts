/**
 * The exporter's prom-client registry. Each collection rewrites every GPU series from scratch (reset, then
 * set), so a value nvidia-smi stopped reporting disappears instead of lingering at its last reading.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { FAILURE_CAUSES } from './failure-cause';
import type { GpuReading } from './gpu-reading';
import type { Snapshot } from './gpu-collector';
import { GPU_METRIC_DEFINITIONS, IDENTITY_LABELS, INFO_LABEL_FIELDS, type GpuMetricDefinition } from './metric-definitions';

type Labels = Record<string, string>;

interface GpuSeries {
  readonly metric: Gauge | Counter;
  readonly definitions: GpuMetricDefinition[];
}

export class ExporterMetrics {
  readonly registry = new Registry();
  private readonly gpuSeries: GpuSeries[] = [];
  private readonly info: Gauge;
  private readonly migDeviceInfo: Gauge;
  private readonly processMemory: Gauge;
  private readonly up: Gauge;
  private readonly scrapeDuration: Gauge;
  private readonly scrapeErrors: Counter;
  private readonly gpusDetected: Gauge;
  private lastSnapshot: Snapshot | undefined;

  constructor(private readonly node: string) {
    // Every series names its node, the exporter's own too, so dashboards filter health by node like GPUs.
    this.registry.setDefaultLabels({ node });
    this.info = this.gauge('warden_gpu_info', 'Static facts about a GPU; always 1.', [
      ...IDENTITY_LABELS,
      ...Object.keys(INFO_LABEL_FIELDS),
    ]);

    const byName = new Map<string, GpuMetricDefinition[]>();
    for (const definition of GPU_METRIC_DEFINITIONS) {
      byName.set(definition.name, [...(byName.get(definition.name) ?? []), definition]);
    }
    for (const [name, definitions] of byName) {
      const first = definitions[0] as GpuMetricDefinition;
      const labelNames = [...IDENTITY_LABELS, ...Object.keys(first.labels ?? {})];
      const metric =
        first.type === 'counter'
          ? new Counter({ name, help: first.help, labelNames, registers: [this.registry] })
          : this.gauge(name, first.help, labelNames);
      this.gpuSeries.push({ metric, definitions });
    }

    this.migDeviceInfo = this.gauge('warden_gpu_mig_device_info', 'A MIG device on a GPU (from nvidia-smi -L); always 1.', [
      ...IDENTITY_LABELS,
      'mig_device',
      'mig_profile',
      'mig_uuid',
    ]);
    this.processMemory = this.gauge('warden_gpu_process_memory_used_bytes', 'GPU memory used by a compute process (with MIG on: attributed to the parent GPU).', [
      ...IDENTITY_LABELS,
      'pid',
      'process_name',
    ]);

    this.up = this.gauge('warden_gpu_exporter_up', 'Whether the last nvidia-smi --query-gpu run answered (1) or failed (0).', []);
    this.scrapeDuration = this.gauge('warden_gpu_exporter_scrape_duration_seconds', 'Time the last collection took, nvidia-smi runs included.', []);
    this.scrapeErrors = new Counter({
      name: 'warden_gpu_exporter_scrape_errors_total',
      help: 'Failed nvidia-smi runs, by cause.',
      labelNames: ['cause'],
      registers: [this.registry],
    });
    // Every cause starts at 0 so rate() and alerts work from the first failure on.
    for (const cause of FAILURE_CAUSES) this.scrapeErrors.inc({ cause }, 0);
    this.gpusDetected = this.gauge('warden_gpu_exporter_gpus', 'GPUs in the last answer of nvidia-smi.', []);
  }

  private gauge(name: string, help: string, labelNames: readonly string[]): Gauge {
    return new Gauge({ name, help, labelNames: [...labelNames], registers: [this.registry] });
  }

  private identity(gpu: GpuReading): Labels {
    return { gpu: String(gpu.index), uuid: gpu.uuid, name: gpu.name, node: this.node };
  }

  update(snapshot: Snapshot): void {
    // Concurrent scrapes (and the push loop) share one collection; count its errors once.
    if (snapshot === this.lastSnapshot) return;
    this.lastSnapshot = snapshot;
    this.info.reset();
    this.migDeviceInfo.reset();
    this.processMemory.reset();
    for (const series of this.gpuSeries) series.metric.reset();

    this.up.set(snapshot.failure === undefined ? 1 : 0);
    this.scrapeDuration.set(snapshot.durationSeconds);
    this.gpusDetected.set(snapshot.gpus.length);
    if (snapshot.failure) this.scrapeErrors.inc({ cause: snapshot.failure.cause });
    for (const secondary of snapshot.secondaryFailures) this.scrapeErrors.inc({ cause: secondary.cause });

    const gpusByUuid = new Map<string, GpuReading>();
    for (const gpu of snapshot.gpus) {
      gpusByUuid.set(gpu.uuid, gpu);
      const identity = this.identity(gpu);
      const facts: Labels = {};
      for (const [label, field] of Object.entries(INFO_LABEL_FIELDS)) facts[label] = gpu.texts.get(field) ?? '';
      this.info.set({ ...identity, ...facts }, 1);

      for (const series of this.gpuSeries) {
        for (const definition of series.definitions) {
          const value = gpu.numbers.get(definition.field);
          if (value === undefined) continue; // no value from nvidia-smi: no series, never a made-up 0
          const labels = { ...identity, ...definition.labels };
          if (series.metric instanceof Counter) series.metric.inc(labels, value);
          else series.metric.set(labels, value);
        }
      }
    }

    for (const device of snapshot.migDevices) {
      const parent = gpusByUuid.get(device.gpuUuid);
      if (parent === undefined) continue;
      this.migDeviceInfo.set(
        { ...this.identity(parent), mig_device: String(device.deviceIndex), mig_profile: device.profile, mig_uuid: device.uuid },
        1,
      );
    }

    for (const computeProcess of snapshot.processes ?? []) {
      const parent = gpusByUuid.get(computeProcess.gpuUuid);
      if (parent === undefined || computeProcess.usedMemoryBytes === undefined) continue;
      this.processMemory.set(
        { ...this.identity(parent), pid: String(computeProcess.pid), process_name: computeProcess.processName },
        computeProcess.usedMemoryBytes,
      );
    }
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
