import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';
import { DecimalFormatError, decimalFromJsonValue, formatExactDecimal, isNegative, type ExactDecimal } from '../../../engine/money/exact-decimal';
import type { FieldProblem } from '../../../engine/validation/field-problems';
import { PII_ACTIONS, PII_DETECTORS, isPiiAction, isPiiDetector, type PiiAction, type PiiDetector } from '../pii/pii-detectors';
import { QUOTA_PERIODS, type QuotaPeriod } from '../periods/quota-period';
import { canonicalTimeZone } from '../periods/time-zone';
import { modelGlobProblem } from '../rules/model-glob';
import {
  DEFAULT_RETENTION_FLOOR_DAYS,
  QUOTA_ENFORCEMENTS,
  QUOTA_METRICS,
  RETENTION_FIELDS,
  SCOPE_KINDS,
  type ModelRules,
  type PiiRules,
  type PolicyDocument,
  type PolicyQuota,
  type PolicyScope,
  type QuotaEnforcement,
  type QuotaMetric,
  type RetentionRules,
} from './policy-document';
import { quotaLimitFromDecimal } from './quota-limit';

export interface PolicyValidationOptions {
  /** WARDEN_RETENTION_FLOOR_DAYS: `retention.requestsDays` may not be lower. Default 180. */
  retentionFloorDays?: number;
}

export type PolicyValidationResult = { ok: true; document: PolicyDocument } | { ok: false; problems: FieldProblem[] };

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const NAME_RULE = '1-128 characters of letters, digits, ".", "_" or "-", starting with a letter or digit';
const MAX_SUBJECT_LENGTH = 256;
const MAX_LIST_LENGTH = 1000;
const MAX_RETENTION_DAYS = 36_500;
const DOCUMENT_KEYS = ['name', 'scope', 'models', 'quotas', 'retention', 'pii'];
const MODELS_KEYS = ['allowAll', 'allow', 'deny'];
const QUOTA_KEYS = ['name', 'metric', 'limit', 'period', 'timeZone', 'enforcement', 'models'];
const PII_KEYS = ['detectors', 'keepOnPremises'];

/** Collects every problem with a path ("quotas[0].limit") instead of stopping at the first. */
class Problems {
  readonly list: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  unknownKeys(value: Record<string, unknown>, known: readonly string[], path: string): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.add(join(path, key), `unknown field (known: ${known.join(', ')})`);
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Validates a policy document (already parsed from JSON or YAML) and returns it in canonical form: defaults filled
 * in (allowAll false, allow/deny [], quotas [], enforcement "hard", timeZone "UTC", keepOnPremises false), time
 * zones in their canonical IANA spelling, limits as plain exact decimals, keys in the contract's order. Every bad
 * field is named, each with its path.
 */
export function validatePolicyDocument(input: unknown, options: PolicyValidationOptions = {}): PolicyValidationResult {
  const floorDays = options.retentionFloorDays ?? DEFAULT_RETENTION_FLOOR_DAYS;
  const problems = new Problems();
  if (!isRecord(input)) {
    problems.add('', `must be a JSON object, got ${describe(input)}`);
    return { ok: false, problems: problems.list };
  }
  problems.unknownKeys(input, DOCUMENT_KEYS, '');
  const name = readName(input.name, 'name', problems);
  const scope = readScope(input.scope, problems);
  const models = input.models === undefined ? undefined : readModels(input.models, problems);
  const quotas = input.quotas === undefined ? [] : readQuotas(input.quotas, problems);
  const retention = input.retention === undefined ? undefined : readRetention(input.retention, floorDays, problems);
  const pii = input.pii === undefined ? undefined : readPii(input.pii, problems);
  if (problems.list.length > 0 || name === undefined || scope === undefined) return { ok: false, problems: problems.list };
  const document: PolicyDocument = {
    name,
    scope,
    ...(models ? { models } : {}),
    quotas,
    ...(retention ? { retention } : {}),
    ...(pii ? { pii } : {}),
  };
  return { ok: true, document };
}

/** As `validatePolicyDocument`, throwing DomainError(validation_failed) with `details.problems` when invalid. */
export function parsePolicyDocument(input: unknown, options: PolicyValidationOptions = {}): PolicyDocument {
  const result = validatePolicyDocument(input, options);
  if (result.ok) return result.document;
  const summary = result.problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join('; ');
  throw new DomainError(ErrorCode.Validation, `invalid policy document: ${summary}`, { problems: result.problems });
}

function readName(value: unknown, path: string, problems: Problems): string | undefined {
  if (value === undefined) problems.add(path, 'is required');
  else if (typeof value !== 'string' || !NAME_PATTERN.test(value)) problems.add(path, `must be ${NAME_RULE}, got ${describe(value)}`);
  else return value;
  return undefined;
}

function readScope(value: unknown, problems: Problems): PolicyScope | undefined {
  const rule = 'must be one of {"org": true}, {"team": NAME}, {"key": KEY_ID}, {"node": NODE_NAME}';
  if (value === undefined) {
    problems.add('scope', `is required: ${rule.slice(5)}`);
    return undefined;
  }
  if (!isRecord(value)) {
    problems.add('scope', `${rule}, got ${describe(value)}`);
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || !SCOPE_KINDS.includes(keys[0] as never)) {
    problems.add('scope', `${rule}, got keys ${JSON.stringify(keys)}`);
    return undefined;
  }
  const kind = keys[0];
  const subject = value[kind];
  if (kind === 'org') {
    if (subject === true) return { org: true };
    problems.add('scope.org', `must be true, got ${describe(subject)}`);
    return undefined;
  }
  if (typeof subject !== 'string' || subject.trim() === '' || subject.length > MAX_SUBJECT_LENGTH) {
    problems.add(`scope.${kind}`, `must be a non-empty string of at most ${MAX_SUBJECT_LENGTH} characters, got ${describe(subject)}`);
    return undefined;
  }
  if (kind === 'team') return { team: subject };
  if (kind === 'key') return { key: subject };
  return { node: subject };
}

function readGlobList(value: unknown, path: string, problems: Problems): string[] {
  if (!Array.isArray(value)) {
    problems.add(path, `must be an array of model globs, got ${describe(value)}`);
    return [];
  }
  if (value.length > MAX_LIST_LENGTH) problems.add(path, `must have at most ${MAX_LIST_LENGTH} entries`);
  const globs: string[] = [];
  value.forEach((glob: unknown, index) => {
    const problem = modelGlobProblem(glob);
    if (problem) problems.add(`${path}[${index}]`, `${problem}${typeof glob === 'string' ? ` (${JSON.stringify(glob)})` : ''}`);
    else globs.push(glob as string);
  });
  return globs;
}

function readModels(value: unknown, problems: Problems): ModelRules | undefined {
  if (!isRecord(value)) {
    problems.add('models', `must be an object {allowAll, allow, deny}, got ${describe(value)}`);
    return undefined;
  }
  problems.unknownKeys(value, MODELS_KEYS, 'models');
  let allowAll = false;
  if (value.allowAll !== undefined) {
    if (typeof value.allowAll === 'boolean') allowAll = value.allowAll;
    else problems.add('models.allowAll', `must be true or false, got ${describe(value.allowAll)}`);
  }
  const allow = value.allow === undefined ? [] : readGlobList(value.allow, 'models.allow', problems);
  const deny = value.deny === undefined ? [] : readGlobList(value.deny, 'models.deny', problems);
  return { allowAll, allow, deny };
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], path: string, problems: Problems, fallback?: T): T | undefined {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined) problems.add(path, `is required: one of ${allowed.join(', ')}`);
  else if (typeof value !== 'string' || !allowed.includes(value as T)) problems.add(path, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  else return value as T;
  return undefined;
}

function readQuotas(value: unknown, problems: Problems): PolicyQuota[] {
  if (!Array.isArray(value)) {
    problems.add('quotas', `must be an array, got ${describe(value)}`);
    return [];
  }
  if (value.length > MAX_LIST_LENGTH) problems.add('quotas', `must have at most ${MAX_LIST_LENGTH} entries`);
  const quotas: PolicyQuota[] = [];
  const names = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const path = `quotas[${index}]`;
    if (!isRecord(entry)) {
      problems.add(path, `must be an object, got ${describe(entry)}`);
      return;
    }
    problems.unknownKeys(entry, QUOTA_KEYS, path);
    const name = readName(entry.name, `${path}.name`, problems);
    if (name !== undefined && names.has(name)) problems.add(`${path}.name`, `duplicates another quota's name "${name}"`);
    if (name !== undefined) names.add(name);
    const metric = readEnum<QuotaMetric>(entry.metric, QUOTA_METRICS, `${path}.metric`, problems);
    const limit = metric === undefined ? undefined : readLimit(entry.limit, metric, `${path}.limit`, problems);
    const period = readEnum<QuotaPeriod>(entry.period, QUOTA_PERIODS, `${path}.period`, problems);
    let timeZone: string | undefined = 'UTC';
    if (entry.timeZone !== undefined) {
      timeZone = typeof entry.timeZone === 'string' ? canonicalTimeZone(entry.timeZone) : undefined;
      if (timeZone === undefined) problems.add(`${path}.timeZone`, `must be an IANA time zone such as "Asia/Shanghai" or "UTC", got ${describe(entry.timeZone)}`);
    }
    const enforcement = readEnum<QuotaEnforcement>(entry.enforcement, QUOTA_ENFORCEMENTS, `${path}.enforcement`, problems, 'hard');
    let models: string[] | undefined;
    if (entry.models !== undefined) {
      models = readGlobList(entry.models, `${path}.models`, problems);
      if (Array.isArray(entry.models) && entry.models.length === 0) {
        problems.add(`${path}.models`, 'must name at least one model glob; leave it out to count every model');
      }
    }
    if (name === undefined || metric === undefined || limit === undefined || period === undefined || timeZone === undefined || !enforcement) return;
    const quota: PolicyQuota = { name, metric, limit, period, timeZone, enforcement };
    if (models) quota.models = models;
    quotas.push(quota);
  });
  return quotas;
}

/** A JSON number or decimal string, exact; a whole number for requests and tokens, at most nano-dollars for cost. */
function readLimit(value: unknown, metric: QuotaMetric, path: string, problems: Problems): string | undefined {
  if (value === undefined) {
    problems.add(path, 'is required: a number or a decimal string');
    return undefined;
  }
  let decimal: ExactDecimal;
  try {
    decimal = decimalFromJsonValue(value);
  } catch (error) {
    if (!(error instanceof DecimalFormatError)) throw error;
    problems.add(path, `must be a number or a decimal string such as "500.00", got ${describe(value)}`);
    return undefined;
  }
  if (isNegative(decimal)) {
    problems.add(path, `must not be negative, got ${describe(value)}`);
    return undefined;
  }
  const limit = formatExactDecimal(decimal);
  const amount = quotaLimitFromDecimal(metric, limit);
  if (typeof amount === 'string') {
    problems.add(path, `${amount}, got ${describe(value)}`);
    return undefined;
  }
  return limit;
}

function readRetention(value: unknown, floorDays: number, problems: Problems): RetentionRules | undefined {
  if (!isRecord(value)) {
    problems.add('retention', `must be an object, got ${describe(value)}`);
    return undefined;
  }
  problems.unknownKeys(value, RETENTION_FIELDS, 'retention');
  const retention: RetentionRules = {};
  for (const field of RETENTION_FIELDS) {
    const days = value[field];
    if (days === undefined) continue;
    const path = `retention.${field}`;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      problems.add(path, `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${describe(days)}`);
    } else if (field === 'requestsDays' && days < floorDays) {
      problems.add(path, `must be at least ${floorDays} days (the retention floor, WARDEN_RETENTION_FLOOR_DAYS), got ${days}`);
    } else {
      retention[field] = days;
    }
  }
  return retention;
}

function readPii(value: unknown, problems: Problems): PiiRules | undefined {
  if (!isRecord(value)) {
    problems.add('pii', `must be an object {detectors, keepOnPremises}, got ${describe(value)}`);
    return undefined;
  }
  problems.unknownKeys(value, PII_KEYS, 'pii');
  const detectors: Partial<Record<PiiDetector, PiiAction>> = {};
  if (value.detectors !== undefined && !isRecord(value.detectors)) {
    problems.add('pii.detectors', `must be an object of detector: action, got ${describe(value.detectors)}`);
  } else if (value.detectors !== undefined) {
    const given = value.detectors;
    for (const key of Object.keys(given)) {
      if (!isPiiDetector(key)) problems.add(`pii.detectors.${key}`, `unknown detector (known: ${PII_DETECTORS.join(', ')})`);
      else if (!isPiiAction(given[key])) problems.add(`pii.detectors.${key}`, `unknown action ${describe(given[key])} (known: ${PII_ACTIONS.join(', ')})`);
    }
    // The contract's detector order, whatever order the author used.
    for (const detector of PII_DETECTORS) {
      const action = given[detector];
      if (isPiiAction(action)) detectors[detector] = action;
    }
  }
  let keepOnPremises = false;
  if (value.keepOnPremises !== undefined) {
    if (typeof value.keepOnPremises === 'boolean') keepOnPremises = value.keepOnPremises;
    else problems.add('pii.keepOnPremises', `must be true or false, got ${describe(value.keepOnPremises)}`);
  }
  return { detectors, keepOnPremises };
}
