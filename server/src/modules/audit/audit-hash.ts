import { createHash } from 'node:crypto';

/** The previous hash of the first row: there is no row before it. */
export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Everything a row's hash covers: all its columns but the hash itself. */
export interface AuditRowContent {
  sequence: string;
  id: string;
  at: Date;
  action: string;
  actor: string;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  team: string | null;
  before: JsonValue;
  after: JsonValue;
  details: JsonValue;
  prevId: string | null;
  prevHash: string;
}

/**
 * A value as jsonb will give it back: what JSON.stringify keeps (no undefined, functions or symbols; Dates as ISO
 * text; bigints as decimal text), with text Postgres refuses in jsonb (NUL, lone surrogates) replaced by U+FFFD.
 * Hashing this form, and storing exactly it, makes the hash recomputable from the stored row.
 */
export function normalizeJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  if (text === undefined) return null;
  return cleanText(JSON.parse(text) as JsonValue);
}

const refusedByJsonb = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(text: string): string {
  return text.replace(refusedByJsonb, '\uFFFD');
}

function cleanText(value: JsonValue): JsonValue {
  if (typeof value === 'string') return cleanString(value);
  if (Array.isArray(value)) return value.map(cleanText);
  if (value && typeof value === 'object') {
    const cleaned: { [key: string]: JsonValue } = {};
    for (const [key, inner] of Object.entries(value)) cleaned[cleanString(key)] = cleanText(inner);
    return cleaned;
  }
  return value;
}

/**
 * JSON with object keys sorted (by UTF-16 code units, at every depth) and no whitespace: jsonb keeps values but not
 * key order, so the order must not count. Numbers are written as JavaScript writes them; jsonb gives back the same.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

/** The exact text a row's hash is taken over: every column but the hash, timestamps in ISO-8601 UTC with milliseconds. */
export function canonicalAuditContent(row: AuditRowContent): string {
  return canonicalJson({
    sequence: row.sequence,
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    actor: row.actor,
    actorRole: row.actorRole,
    targetType: row.targetType,
    targetId: row.targetId,
    team: row.team,
    before: row.before,
    after: row.after,
    details: row.details,
    prevId: row.prevId,
    prevHash: row.prevHash,
  });
}

/** SHA-256 (lower-case hex) of the row's canonical content, which includes the previous row's hash. */
export function auditRowHash(row: AuditRowContent): string {
  return createHash('sha256').update(canonicalAuditContent(row), 'utf8').digest('hex');
}
