/**
 * Which nvidia-smi field feeds which Prometheus series. Names carry the base unit (`_bytes`, `_watts`,
 * `_hertz`, `_ratio` for 0..1, `_seconds`); `_total` marks counters only. Several definitions may share a
 * name when they differ by a fixed label (reason, type).
 */
import { THROTTLE_DURATION_REASONS, THROTTLE_REASONS, throttleDurationKey, throttleReasonKey } from './field-catalogue';

export interface GpuMetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  /** Field key in the catalogue. */
  readonly field: string;
  /** Fixed labels that tell series of the same name apart. */
  readonly labels?: Readonly<Record<string, string>>;
}

const gauge = (name: string, field: string, help: string, labels?: Record<string, string>): GpuMetricDefinition => ({
  name,
  help,
  type: 'gauge',
  field,
  labels,
});
const counter = (name: string, field: string, help: string, labels?: Record<string, string>): GpuMetricDefinition => ({
  name,
  help,
  type: 'counter',
  field,
  labels,
});

export const GPU_METRIC_DEFINITIONS: readonly GpuMetricDefinition[] = [
  gauge('warden_gpu_utilization_ratio', 'utilization.gpu', 'Fraction of the last sample period during which a kernel ran on the GPU (0-1).'),
  gauge('warden_gpu_memory_utilization_ratio', 'utilization.memory', 'Fraction of the last sample period during which device memory was read or written (0-1).'),
  gauge('warden_gpu_encoder_utilization_ratio', 'utilization.encoder', 'Video encoder utilisation (0-1).'),
  gauge('warden_gpu_decoder_utilization_ratio', 'utilization.decoder', 'Video decoder utilisation (0-1).'),
  gauge('warden_gpu_jpeg_utilization_ratio', 'utilization.jpeg', 'JPEG decoder utilisation (0-1).'),
  gauge('warden_gpu_ofa_utilization_ratio', 'utilization.ofa', 'Optical flow accelerator utilisation (0-1).'),
  gauge('warden_gpu_encoder_sessions', 'encoder.stats.sessionCount', 'Encoder sessions running on the GPU.'),
  gauge('warden_gpu_encoder_frames_per_second', 'encoder.stats.averageFps', 'Average frames per second over all encoder sessions.'),
  gauge('warden_gpu_encoder_latency_seconds', 'encoder.stats.averageLatency', 'Average encoder latency over all sessions.'),
  gauge('warden_gpu_memory_total_bytes', 'memory.total', 'Total device memory (less ECC overhead when ECC is on).'),
  gauge('warden_gpu_memory_used_bytes', 'memory.used', 'Device memory allocated by active contexts.'),
  gauge('warden_gpu_memory_free_bytes', 'memory.free', 'Free device memory.'),
  gauge('warden_gpu_memory_reserved_bytes', 'memory.reserved', 'Device memory reserved by the driver.'),
  gauge('warden_gpu_power_draw_watts', 'power.draw', 'Board power draw (1 s average on Ampere and newer, instantaneous before).'),
  gauge('warden_gpu_power_draw_instant_watts', 'power.draw.instant', 'Instantaneous board power draw.'),
  gauge('warden_gpu_power_limit_watts', 'power.limit', 'Power limit requested by the administrator.'),
  gauge('warden_gpu_power_enforced_limit_watts', 'enforced.power.limit', 'Power limit the GPU actually enforces.'),
  gauge('warden_gpu_power_default_limit_watts', 'power.default_limit', 'Default power limit.'),
  gauge('warden_gpu_power_min_limit_watts', 'power.min_limit', 'Lowest power limit that can be set.'),
  gauge('warden_gpu_power_max_limit_watts', 'power.max_limit', 'Highest power limit that can be set.'),
  gauge('warden_gpu_temperature_celsius', 'temperature.gpu', 'GPU core temperature.'),
  gauge('warden_gpu_memory_temperature_celsius', 'temperature.memory', 'HBM memory temperature.'),
  gauge('warden_gpu_temperature_slowdown_margin_celsius', 'temperature.gpu.tlimit', 'Degrees left before the GPU starts slowing down (T.Limit).'),
  gauge('warden_gpu_fan_speed_ratio', 'fan.speed', 'Intended fan speed as a fraction of the maximum (may exceed 1).'),
  gauge('warden_gpu_performance_state', 'pstate', 'Performance state: 0 (P0, maximum performance) to 15 (minimum).'),
  gauge('warden_gpu_sm_clock_hertz', 'clocks.current.sm', 'Current streaming multiprocessor clock.'),
  gauge('warden_gpu_graphics_clock_hertz', 'clocks.current.graphics', 'Current graphics clock.'),
  gauge('warden_gpu_memory_clock_hertz', 'clocks.current.memory', 'Current memory clock.'),
  gauge('warden_gpu_video_clock_hertz', 'clocks.current.video', 'Current video encoder/decoder clock.'),
  gauge('warden_gpu_sm_clock_max_hertz', 'clocks.max.sm', 'Maximum streaming multiprocessor clock.'),
  gauge('warden_gpu_graphics_clock_max_hertz', 'clocks.max.graphics', 'Maximum graphics clock.'),
  gauge('warden_gpu_memory_clock_max_hertz', 'clocks.max.memory', 'Maximum memory clock.'),
  ...THROTTLE_REASONS.map((reason) =>
    gauge('warden_gpu_throttle_reason_active', throttleReasonKey(reason), 'Whether a clock event (throttle) reason is holding clocks down (1) or not (0).', { reason }),
  ),
  ...THROTTLE_DURATION_REASONS.map((reason) =>
    counter('warden_gpu_throttle_duration_seconds_total', throttleDurationKey(reason), 'Time clocks were held down for this reason since the driver loaded.', { reason }),
  ),
  gauge('warden_gpu_pcie_link_generation', 'pcie.link.gen.gpucurrent', 'Current PCIe link generation (drops when idle).'),
  gauge('warden_gpu_pcie_link_max_generation', 'pcie.link.gen.max', 'Highest PCIe link generation this GPU and system allow.'),
  gauge('warden_gpu_pcie_link_width', 'pcie.link.width.current', 'Current PCIe link width in lanes.'),
  gauge('warden_gpu_pcie_link_max_width', 'pcie.link.width.max', 'Highest PCIe link width in lanes.'),
  gauge('warden_gpu_mig_mode_enabled', 'mig.mode.current', 'Whether MIG mode is on (1) or off (0).'),
  gauge('warden_gpu_mig_mode_pending_enabled', 'mig.mode.pending', 'MIG mode after the next GPU reset.'),
  gauge('warden_gpu_ecc_mode_enabled', 'ecc.mode.current', 'Whether ECC is on (1) or off (0).'),
  gauge('warden_gpu_persistence_mode_enabled', 'persistence_mode', 'Whether persistence mode is on (1) or off (0).'),
  counter('warden_gpu_ecc_errors_total', 'ecc.errors.corrected.volatile.total', 'ECC errors since the driver loaded.', { type: 'corrected' }),
  counter('warden_gpu_ecc_errors_total', 'ecc.errors.uncorrected.volatile.total', 'ECC errors since the driver loaded.', { type: 'uncorrected' }),
  counter('warden_gpu_ecc_lifetime_errors_total', 'ecc.errors.corrected.aggregate.total', 'ECC errors over the GPU lifetime (kept in the InfoROM).', { type: 'corrected' }),
  counter('warden_gpu_ecc_lifetime_errors_total', 'ecc.errors.uncorrected.aggregate.total', 'ECC errors over the GPU lifetime (kept in the InfoROM).', { type: 'uncorrected' }),
  gauge('warden_gpu_retired_pages', 'retired_pages.single_bit_ecc.count', 'Memory pages retired for ECC errors (pre-Ampere).', { cause: 'single_bit_ecc' }),
  gauge('warden_gpu_retired_pages', 'retired_pages.double_bit.count', 'Memory pages retired for ECC errors (pre-Ampere).', { cause: 'double_bit_ecc' }),
  gauge('warden_gpu_remapped_rows', 'remapped_rows.correctable', 'Memory rows remapped for ECC errors (Ampere and newer).', { type: 'correctable' }),
  gauge('warden_gpu_remapped_rows', 'remapped_rows.uncorrectable', 'Memory rows remapped for ECC errors (Ampere and newer).', { type: 'uncorrectable' }),
  gauge('warden_gpu_remapped_rows_pending', 'remapped_rows.pending', 'Whether a row remapping waits for a GPU reset (1) or not (0).'),
  gauge('warden_gpu_remapped_rows_failure', 'remapped_rows.failure', 'Whether a row remapping failed (1) or not (0): the GPU needs service.'),
];

/** Labels every GPU series carries, so any two series of one GPU join. */
export const IDENTITY_LABELS = ['gpu', 'uuid', 'name', 'node'] as const;

/** Static facts on warden_gpu_info, from text fields, by label. */
export const INFO_LABEL_FIELDS: Readonly<Record<string, string>> = {
  driver_version: 'driver_version',
  vbios_version: 'vbios_version',
  pci_bus_id: 'pci.bus_id',
  compute_capability: 'compute_cap',
  serial: 'serial',
};
