import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';
import { DecimalFormatError, decimalFromJsonValue, formatExactDecimal, isNegative } from '../../../engine/money/exact-decimal';
import { findUnknownFields, type FieldProblem } from '../../../engine/validation/field-problems';
import { wellFormedText } from '../../../engine/validation/text';

/** `POST /api/v1/authorize` (issue 7 §4), as the decision service takes it. */
export interface AuthorizeInput {
  /** Required unless the API key belongs to a team (then it must be that team, or absent). */
  team?: string;
  user?: string;
  model: string;
  /** The node that would serve the request (its location decides keepOnPremises). */
  node?: string;
  inputTokens: number;
  maxOutputTokens?: number;
  /** Exact decimal USD; absent: estimated from the price catalog (input + maxOutputTokens). */
  estimatedCostUsd?: string;
  /** The prompt, to check for personal data; answered back redacted per policy. */
  text?: string;
}

/** `POST /api/v1/usage`: what a request admitted by `authorize` really used. */
export interface SettleInput {
  reservationId: string;
  inputTokens: number;
  outputTokens: number;
  /** Exact decimal USD; absent: priced from the catalog. */
  costUsd?: string;
}

/** `POST /api/v1/redact`. */
export interface RedactInput {
  text: string;
  /** A policy's name (its id); absent: every detector on `mask`. */
  policyId?: string;
}

const MAX_NAME_LENGTH = 256;
const MAX_TOKENS = 100_000_000;
export const MAX_TEXT_LENGTH = 4_000_000;
/** Under Int64 nano-USD, like ingest's costUsd. */
const MAX_USD_DIGITS = /^\d{1,9}(\.\d+)?$/;

const authorizeFields = new Set(['team', 'user', 'model', 'node', 'inputTokens', 'maxOutputTokens', 'estimatedCostUsd', 'text']);
const settleFields = new Set(['reservationId', 'inputTokens', 'outputTokens', 'costUsd']);
const redactFields = new Set(['text', 'policyId']);

/** Reads one JSON object field by field, collecting a problem per bad field. */
class FieldReader {
  readonly problems: FieldProblem[];

  constructor(
    private readonly input: Record<string, unknown>,
    known: ReadonlySet<string>,
  ) {
    this.problems = findUnknownFields(input, known);
  }

  text(field: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const value = this.input[field];
    const max = options.max ?? MAX_NAME_LENGTH;
    if (value === undefined || value === null || (value === '' && max <= MAX_NAME_LENGTH)) {
      if (options.required) this.problems.push({ field, message: 'is required' });
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.push({ field, message: `must be a string, got ${describe(value)}` });
      return undefined;
    }
    if (value.length > max) {
      this.problems.push({ field, message: `must be at most ${max} characters` });
      return undefined;
    }
    return wellFormedText(value);
  }

  count(field: string, options: { required?: boolean } = {}): number | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) {
      if (options.required) this.problems.push({ field, message: `is required: a whole number from 0 to ${MAX_TOKENS}` });
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_TOKENS) {
      this.problems.push({ field, message: `must be a whole number from 0 to ${MAX_TOKENS}, got ${describe(value)}` });
      return undefined;
    }
    return value;
  }

  usd(field: string): string | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) return undefined;
    try {
      const decimal = decimalFromJsonValue(value);
      const text = formatExactDecimal(decimal);
      if (isNegative(decimal) || !MAX_USD_DIGITS.test(text)) {
        this.problems.push({ field, message: `must be a USD amount from 0 to 999999999.999999999, got ${describe(value)}` });
        return undefined;
      }
      return text;
    } catch (error) {
      if (!(error instanceof DecimalFormatError)) throw error;
      this.problems.push({ field, message: `must be a number or a decimal string such as "0.0042", got ${describe(value)}` });
      return undefined;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

function objectOrThrow(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError(ErrorCode.Validation, `${what}: send a JSON object`, { problems: [{ field: '', message: 'must be a JSON object' }] });
  }
  return body as Record<string, unknown>;
}

function throwIfProblems(what: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const summary = problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join('; ');
  throw new DomainError(ErrorCode.Validation, `${what}: ${summary}`, { problems });
}

/** Every bad field named at once (400 validation_failed with `details.problems`). */
export function readAuthorizeInput(body: unknown): AuthorizeInput {
  const reader = new FieldReader(objectOrThrow(body, 'authorize'), authorizeFields);
  const input: AuthorizeInput = {
    team: reader.text('team'),
    user: reader.text('user'),
    model: reader.text('model', { required: true }) ?? '',
    node: reader.text('node'),
    inputTokens: reader.count('inputTokens', { required: true }) ?? 0,
    maxOutputTokens: reader.count('maxOutputTokens'),
    estimatedCostUsd: reader.usd('estimatedCostUsd'),
    text: reader.text('text', { max: MAX_TEXT_LENGTH }),
  };
  throwIfProblems('authorize', reader.problems);
  return withoutAbsent(input);
}

export function readSettleInput(body: unknown): SettleInput {
  const reader = new FieldReader(objectOrThrow(body, 'usage'), settleFields);
  const input: SettleInput = {
    reservationId: reader.text('reservationId', { required: true, max: 4096 }) ?? '',
    inputTokens: reader.count('inputTokens', { required: true }) ?? 0,
    outputTokens: reader.count('outputTokens', { required: true }) ?? 0,
    costUsd: reader.usd('costUsd'),
  };
  throwIfProblems('usage', reader.problems);
  return withoutAbsent(input);
}

export function readRedactInput(body: unknown): RedactInput {
  const reader = new FieldReader(objectOrThrow(body, 'redact'), redactFields);
  // An empty text is a text (nothing to find); only a missing one is refused.
  const text = reader.text('text', { required: true, max: MAX_TEXT_LENGTH });
  const input: RedactInput = { text: text ?? '', policyId: reader.text('policyId') };
  throwIfProblems('redact', reader.problems);
  return withoutAbsent(input);
}

/** Absent optional fields are left out, not undefined, so answers and records never carry them. */
function withoutAbsent<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
