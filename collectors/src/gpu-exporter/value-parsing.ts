/**
 * Turns nvidia-smi cell text into numbers in Prometheus base units. A cell that carries no value is
 * `undefined` so the caller omits the series: exporting 0 for "not supported" would draw a GPU at 0 W.
 */

/** Tokens nvidia-smi prints instead of a value. Any bracketed text ("[N/A]", "[Not Supported]",
 * "[Requested functionality has been deprecated]", ...) is also treated as "no value". */
const NO_VALUE_TOKENS = new Set(['', 'N/A', 'ERR!', 'Unknown Error', 'Not Supported', 'Not Available']);

export function isNoValue(raw: string | undefined): boolean {
  if (raw === undefined) return true;
  const text = raw.trim();
  return NO_VALUE_TOKENS.has(text) || /^\[.*\]$/.test(text);
}

interface UnitScale {
  readonly multiply?: number;
  /** Division keeps decimal percentages exact (57 / 100 is 0.57; 57 * 0.01 is not). */
  readonly divide?: number;
}

/** nvidia-smi units, mapped to the base unit of the metric they feed. */
const UNIT_SCALES: Readonly<Record<string, UnitScale>> = {
  B: {},
  KiB: { multiply: 1024 },
  MiB: { multiply: 1024 * 1024 },
  GiB: { multiply: 1024 * 1024 * 1024 },
  W: {},
  mW: { divide: 1000 },
  Hz: {},
  kHz: { multiply: 1e3 },
  MHz: { multiply: 1e6 },
  GHz: { multiply: 1e9 },
  '%': { divide: 100 },
  s: {},
  ms: { divide: 1e3 },
  us: { divide: 1e6 },
  ns: { divide: 1e9 },
  C: {},
  J: {},
  mJ: { divide: 1000 },
};

export function isKnownUnit(unit: string): boolean {
  return Object.prototype.hasOwnProperty.call(UNIT_SCALES, unit);
}

const NUMBER_WITH_UNIT = /^(-?\d+(?:\.\d+)?)\s*([A-Za-z%]+)?$/;

/**
 * Parses "81559 MiB", "81559" (nounits) or "433.78 W" into base units. The unit comes from the value when
 * it carries one, else from the header ("memory.used [MiB]"), else from what the field is documented to use.
 */
export function parseQuantity(
  raw: string | undefined,
  headerUnit: string | undefined,
  documentedUnit: string | undefined,
): number | undefined {
  if (raw === undefined || isNoValue(raw)) return undefined;
  const match = NUMBER_WITH_UNIT.exec(raw.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  if (!Number.isFinite(number)) return undefined;
  const unit = match[2] ?? headerUnit ?? documentedUnit;
  if (unit === undefined) return number;
  const scale = UNIT_SCALES[unit];
  // An unknown unit would make the number mean something else; omitting it is the honest answer.
  if (scale === undefined) return undefined;
  if (scale.multiply !== undefined) return number * scale.multiply;
  if (scale.divide !== undefined) return number / scale.divide;
  return number;
}

/** Integer fields such as the GPU index, PCIe generation and ECC counts. */
export function parseCount(raw: string | undefined): number | undefined {
  if (raw === undefined || isNoValue(raw)) return undefined;
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}

const FLAG_WORDS: Readonly<Record<string, number>> = {
  enabled: 1,
  disabled: 0,
  active: 1,
  'not active': 0,
  yes: 1,
  no: 0,
  on: 1,
  off: 0,
};

/** "Enabled"/"Disabled", "Active"/"Not Active", "Yes"/"No" as 1/0. */
export function parseFlag(raw: string | undefined): number | undefined {
  if (raw === undefined || isNoValue(raw)) return undefined;
  return FLAG_WORDS[raw.trim().toLowerCase()];
}

/** "P0" (maximum performance) .. "P15" as the state number. */
export function parsePerformanceState(raw: string | undefined): number | undefined {
  if (raw === undefined || isNoValue(raw)) return undefined;
  const match = /^P(\d{1,2})$/.exec(raw.trim());
  return match ? Number(match[1]) : undefined;
}

/** Text facts (driver version, VBIOS...): undefined when nvidia-smi had none. */
export function parseText(raw: string | undefined): string | undefined {
  if (raw === undefined || isNoValue(raw)) return undefined;
  return raw.trim();
}
