import type { OtlpAnyValue, OtlpAttributes } from './otlp-trace-request';

/** The first of the keys holding a non-empty string (numbers and booleans are written out, as senders mix them). */
export function readString(attributes: OtlpAttributes, ...keys: string[]): string {
  for (const key of keys) {
    const value = attributes.get(key);
    if (typeof value === 'string') {
      if (value !== '') return value;
    } else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      return String(value);
    }
  }
  return '';
}

/** The first of the keys holding a number: an int, a double, or a numeric string (some SDKs send counts as text). */
export function readNumber(attributes: OtlpAttributes, ...keys: string[]): number | null {
  for (const key of keys) {
    const number = asNumber(attributes.get(key));
    if (number !== null) return number;
  }
  return null;
}

export function asNumber(value: OtlpAnyValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

/** A string array attribute (or one string) as a list of strings. */
export function readStringList(attributes: OtlpAttributes, key: string): string[] {
  const value = attributes.get(key);
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * An AnyValue as plain JSON data: key-value lists become objects, bytes base64, 64-bit integers beyond the safe range
 * strings. Structured GenAI attributes (messages, parts) are read through this whichever way they were sent.
 */
export function toPlainValue(value: OtlpAnyValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value instanceof Map) {
    const plain: Record<string, unknown> = {};
    // '__proto__' as a key would set the object's prototype instead of a property.
    for (const [key, item] of value) if (key !== '__proto__') plain[key] = toPlainValue(item);
    return plain;
  }
  return value;
}
