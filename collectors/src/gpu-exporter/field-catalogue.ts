/**
 * The nvidia-smi --query-gpu fields the exporter reads. Each field lists the names nvidia-smi accepts for it,
 * preferred first: drivers rename fields (clocks_throttle_reasons -> clocks_event_reasons) and keep the other
 * spelling as an alias, so discovery asks for the first name this driver lists and the reader accepts any of
 * them in the header.
 */

export type FieldKind =
  /** A number with a unit (in the value, the header, or as documented): converted to base units. */
  | 'quantity'
  /** A plain integer: index, PCIe generation, ECC error counts. */
  | 'count'
  /** Enabled/Disabled, Active/Not Active, Yes/No. */
  | 'flag'
  /** P0..P15. */
  | 'performance-state'
  /** Static text for the info metric. */
  | 'text';

export interface QueryField {
  /** Stable key the rest of the exporter uses: its preferred nvidia-smi name. */
  readonly key: string;
  /** Names nvidia-smi accepts for this field, preferred first. */
  readonly names: readonly string[];
  readonly kind: FieldKind;
  /** Unit nvidia-smi documents for the field, used when neither value nor header carries one. */
  readonly documentedUnit?: string;
  /** Asked for when discovery fails: fields every driver of the last decade answers. */
  readonly inFallback?: boolean;
}

function field(
  key: string,
  kind: FieldKind,
  options: { aliases?: string[]; unit?: string; fallback?: boolean } = {},
): QueryField {
  return {
    key,
    names: [key, ...(options.aliases ?? [])],
    kind,
    documentedUnit: options.unit,
    inFallback: options.fallback ?? false,
  };
}

/** Clock event ("throttle") reasons nvidia-smi reports as Active / Not Active. */
export const THROTTLE_REASONS = [
  'gpu_idle',
  'applications_clocks_setting',
  'sw_power_cap',
  'hw_slowdown',
  'hw_thermal_slowdown',
  'hw_power_brake_slowdown',
  'sw_thermal_slowdown',
  'sync_boost',
] as const;

/** Reasons for which the driver also keeps a cumulative time counter (microseconds). */
export const THROTTLE_DURATION_REASONS = [
  'sw_power_cap',
  'sync_boost',
  'sw_thermal_slowdown',
  'hw_thermal_slowdown',
  'hw_power_brake_slowdown',
] as const;

export const throttleReasonKey = (reason: string): string => `clocks_event_reasons.${reason}`;
export const throttleDurationKey = (reason: string): string => `clocks_event_reasons_counters.${reason}`;

export const QUERY_FIELDS: readonly QueryField[] = [
  // Identity and static facts.
  field('index', 'count', { fallback: true }),
  field('uuid', 'text', { aliases: ['gpu_uuid'], fallback: true }),
  field('name', 'text', { aliases: ['gpu_name'], fallback: true }),
  field('driver_version', 'text', { fallback: true }),
  field('vbios_version', 'text', { fallback: true }),
  field('pci.bus_id', 'text', { aliases: ['gpu_bus_id'], fallback: true }),
  field('compute_cap', 'text'),
  field('serial', 'text', { aliases: ['gpu_serial'] }),
  // Load.
  field('utilization.gpu', 'quantity', { unit: '%', fallback: true }),
  field('utilization.memory', 'quantity', { unit: '%', fallback: true }),
  field('utilization.encoder', 'quantity', { unit: '%' }),
  field('utilization.decoder', 'quantity', { unit: '%' }),
  field('utilization.jpeg', 'quantity', { unit: '%' }),
  field('utilization.ofa', 'quantity', { unit: '%' }),
  field('encoder.stats.sessionCount', 'count'),
  field('encoder.stats.averageFps', 'quantity'),
  field('encoder.stats.averageLatency', 'quantity', { unit: 'us' }),
  // Memory.
  field('memory.total', 'quantity', { unit: 'MiB', fallback: true }),
  field('memory.used', 'quantity', { unit: 'MiB', fallback: true }),
  field('memory.free', 'quantity', { unit: 'MiB', fallback: true }),
  field('memory.reserved', 'quantity', { unit: 'MiB' }),
  // Power.
  field('power.draw', 'quantity', { unit: 'W', fallback: true }),
  field('power.draw.instant', 'quantity', { aliases: ['gpu.power.draw.instant'], unit: 'W' }),
  field('power.limit', 'quantity', { aliases: ['gpu.power.requested_limit'], unit: 'W', fallback: true }),
  field('enforced.power.limit', 'quantity', { aliases: ['gpu.power.current_limit'], unit: 'W' }),
  field('power.default_limit', 'quantity', { aliases: ['gpu.power.default_limit'], unit: 'W' }),
  field('power.min_limit', 'quantity', { aliases: ['gpu.power.min_limit'], unit: 'W' }),
  field('power.max_limit', 'quantity', { aliases: ['gpu.power.max_limit'], unit: 'W' }),
  // Thermals and cooling.
  field('temperature.gpu', 'quantity', { unit: 'C', fallback: true }),
  field('temperature.memory', 'quantity', { unit: 'C' }),
  field('temperature.gpu.tlimit', 'quantity', { unit: 'C' }),
  field('fan.speed', 'quantity', { unit: '%', fallback: true }),
  field('pstate', 'performance-state', { fallback: true }),
  // Clocks.
  field('clocks.current.sm', 'quantity', { aliases: ['clocks.sm'], unit: 'MHz', fallback: true }),
  field('clocks.current.graphics', 'quantity', { aliases: ['clocks.gr'], unit: 'MHz', fallback: true }),
  field('clocks.current.memory', 'quantity', { aliases: ['clocks.mem'], unit: 'MHz', fallback: true }),
  field('clocks.current.video', 'quantity', { aliases: ['clocks.video'], unit: 'MHz' }),
  field('clocks.max.sm', 'quantity', { unit: 'MHz' }),
  field('clocks.max.graphics', 'quantity', { aliases: ['clocks.max.gr'], unit: 'MHz' }),
  field('clocks.max.memory', 'quantity', { aliases: ['clocks.max.mem'], unit: 'MHz' }),
  ...THROTTLE_REASONS.map((reason) =>
    field(throttleReasonKey(reason), 'flag', { aliases: [`clocks_throttle_reasons.${reason}`] }),
  ),
  ...THROTTLE_DURATION_REASONS.map((reason) => field(throttleDurationKey(reason), 'quantity', { unit: 'us' })),
  // PCIe. gpucurrent replaced gen.current (now deprecated); the old name stays as the second choice.
  field('pcie.link.gen.gpucurrent', 'count', { aliases: ['pcie.link.gen.current'] }),
  field('pcie.link.gen.max', 'count'),
  field('pcie.link.width.current', 'count'),
  field('pcie.link.width.max', 'count'),
  // Modes.
  field('mig.mode.current', 'flag'),
  field('mig.mode.pending', 'flag'),
  field('ecc.mode.current', 'flag'),
  field('persistence_mode', 'flag'),
  // Memory health.
  field('ecc.errors.corrected.volatile.total', 'count'),
  field('ecc.errors.uncorrected.volatile.total', 'count'),
  field('ecc.errors.corrected.aggregate.total', 'count'),
  field('ecc.errors.uncorrected.aggregate.total', 'count'),
  field('retired_pages.single_bit_ecc.count', 'count', { aliases: ['retired_pages.sbe'] }),
  field('retired_pages.double_bit.count', 'count', { aliases: ['retired_pages.dbe'] }),
  field('remapped_rows.correctable', 'count', { aliases: ['remapped_rows.sbe'] }),
  field('remapped_rows.uncorrectable', 'count', { aliases: ['remapped_rows.dbe'] }),
  field('remapped_rows.pending', 'flag'),
  field('remapped_rows.failure', 'flag'),
];

const FIELDS_BY_KEY = new Map(QUERY_FIELDS.map((queryField) => [queryField.key, queryField]));

export function fieldByKey(key: string): QueryField | undefined {
  return FIELDS_BY_KEY.get(key);
}

/** Fields and the spelling to ask for them by. */
export interface FieldSelection {
  readonly fields: readonly QueryField[];
  /** The name passed to --query-gpu for each field, by key. */
  readonly requestedNames: ReadonlyMap<string, string>;
  /** Where the selection came from, for logs and the exporter's own metrics. */
  readonly source: 'discovered' | 'fallback';
}

/** Picks, for each field, the first (preferred) name the driver lists; fields the driver does not list are left out. */
export function selectSupportedFields(supportedNames: ReadonlySet<string>): FieldSelection {
  const fields: QueryField[] = [];
  const requestedNames = new Map<string, string>();
  for (const queryField of QUERY_FIELDS) {
    const name = queryField.names.find((candidate) => supportedNames.has(candidate));
    if (name === undefined) continue;
    fields.push(queryField);
    requestedNames.set(queryField.key, name);
  }
  return { fields, requestedNames, source: 'discovered' };
}

/** The built-in list, by the names nvidia-smi has used for these fields for a decade. */
export function fallbackFieldSelection(): FieldSelection {
  const fields = QUERY_FIELDS.filter((queryField) => queryField.inFallback);
  const requestedNames = new Map(fields.map((queryField) => [queryField.key, queryField.key]));
  return { fields, requestedNames, source: 'fallback' };
}

/** The selection without one field: nvidia-smi refuses a whole query for a single unknown field. */
export function withoutField(selection: FieldSelection, fieldName: string): FieldSelection | undefined {
  const dropped = selection.fields.find(
    (queryField) => queryField.names.includes(fieldName) || selection.requestedNames.get(queryField.key) === fieldName,
  );
  if (dropped === undefined) return undefined;
  const requestedNames = new Map(selection.requestedNames);
  requestedNames.delete(dropped.key);
  return {
    fields: selection.fields.filter((queryField) => queryField !== dropped),
    requestedNames,
    source: selection.source,
  };
}

export function queryArgument(selection: FieldSelection): string {
  return selection.fields.map((queryField) => selection.requestedNames.get(queryField.key)).join(',');
}
