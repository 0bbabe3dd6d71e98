import * as crypto from 'node:crypto';
import { findUnknownFields, type FieldProblem } from '../../../engine/validation/field-problems';
import { wellFormedText } from '../../../engine/validation/text';
import { parseTimestamp } from '../../../engine/validation/timestamps';
import { scoreNamePattern, scoreNameRule } from './score-name';
import { scoreSources, type Score, type ScoreSource, type ScoreValue } from './score';

const knownFields = new Set([
  'id', 'requestId', 'traceId', 'spanId', 'responseId', 'team', 'name', 'value', 'label', 'source', 'evaluator',
  'comment', 'timestamp',
]);
const sources = new Set<string>(scoreSources);
const traceIdPattern = /^[0-9a-f]{32}$/;
const spanIdPattern = /^[0-9a-f]{16}$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);
const maxLabelLength = 128;
const maxCommentLength = 10_000;
const maxFutureSkewMs = 24 * 3600 * 1000;

export interface ScoreValidationOptions {
  /** The clock the future-skew rule is measured from. */
  now?: number;
  /** The team of the ingest key, when it is a team key: it decides the team. Null or absent for an org-level key. */
  keyTeam?: string | null;
}

/**
 * Checks one submitted score (shape only: whether its name is defined and its value in range is the score
 * definition's job, see checkScoreValue). Returns every problem, each naming its field.
 */
export function validateScore(raw: unknown, options: ScoreValidationOptions = {}): { score: Score } | { problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '(score)', message: 'must be a JSON object' }] };
  }
  const input = raw as Record<string, unknown>;
  const problems: FieldProblem[] = findUnknownFields(input, knownFields);
  const now = options.now ?? Date.now();

  const text = (field: string, max: number): string => {
    const value = input[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      problems.push({ field, message: `must be a string, got ${typeof value}` });
      return '';
    }
    if (value.length > max) problems.push({ field, message: `must be at most ${max} characters` });
    // A lone surrogate (a string cut mid-emoji by an SDK) is repaired, as request events are.
    return wellFormedText(value);
  };

  const id = text('id', 128) || crypto.randomUUID();
  const requestId = text('requestId', 128);
  const traceId = text('traceId', 64).toLowerCase();
  const spanId = text('spanId', 64).toLowerCase();
  const responseId = text('responseId', 256);
  if (traceId && (!traceIdPattern.test(traceId) || traceId === zeroTraceId)) {
    problems.push({ field: 'traceId', message: 'must be 32 hex digits, not all zero (an OpenTelemetry trace id)' });
  }
  if (spanId && (!spanIdPattern.test(spanId) || spanId === zeroSpanId)) {
    problems.push({ field: 'spanId', message: 'must be 16 hex digits, not all zero (an OpenTelemetry span id)' });
  }
  if (traceId && !spanId) problems.push({ field: 'spanId', message: 'is required with traceId: a trace holds many requests' });
  if (spanId && !traceId) problems.push({ field: 'traceId', message: 'is required with spanId' });
  if (!requestId && !traceId && !spanId && !responseId) {
    problems.push({ field: 'requestId', message: 'is required: name the scored request by requestId, traceId + spanId, or responseId' });
  }

  const sentTeam = text('team', 256);
  let team = sentTeam;
  if (options.keyTeam) {
    if (sentTeam && sentTeam !== options.keyTeam) {
      problems.push({ field: 'team', message: `must be "${options.keyTeam}" (the team of this key) or left out` });
    }
    team = options.keyTeam;
  } else if (!sentTeam) {
    problems.push({ field: 'team', message: 'is required with an organisation-level key (request ids are unique per team)' });
  }

  const name = text('name', 128);
  if (!name) {
    if (input.name === undefined || input.name === null || input.name === '') problems.push({ field: 'name', message: 'is required' });
  } else if (!scoreNamePattern.test(name)) {
    problems.push({ field: 'name', message: scoreNameRule });
  }

  let value: ScoreValue = 0;
  const rawValue = input.value;
  if (rawValue === undefined || rawValue === null) {
    problems.push({ field: 'value', message: 'is required: a number, a boolean or a label' });
  } else if (typeof rawValue === 'number') {
    if (!Number.isFinite(rawValue)) problems.push({ field: 'value', message: 'must be a finite number' });
    value = rawValue;
  } else if (typeof rawValue === 'boolean') {
    value = rawValue;
  } else if (typeof rawValue === 'string') {
    if (rawValue.trim().length === 0) problems.push({ field: 'value', message: 'must not be an empty label' });
    else if (rawValue.length > maxLabelLength) problems.push({ field: 'value', message: `a label must be at most ${maxLabelLength} characters` });
    value = wellFormedText(rawValue);
  } else {
    problems.push({ field: 'value', message: `must be a number, a boolean or a label, got ${Array.isArray(rawValue) ? 'an array' : typeof rawValue}` });
  }
  const label = text('label', maxLabelLength);
  if (label && typeof rawValue !== 'number') problems.push({ field: 'label', message: 'may only accompany a numeric value' });

  const source = text('source', 16) || 'api';
  if (!sources.has(source)) problems.push({ field: 'source', message: 'must be one of api, eval, human' });
  const evaluator = text('evaluator', 128) || name;
  const comment = text('comment', maxCommentLength);

  let timestamp = new Date(now);
  const timestampText = text('timestamp', 64);
  if (timestampText) {
    timestamp = parseTimestamp(timestampText);
    if (Number.isNaN(timestamp.getTime())) {
      problems.push({ field: 'timestamp', message: 'must be an ISO-8601 date-time, e.g. 2026-11-29T10:15:00Z' });
    } else if (timestamp.getTime() > now + maxFutureSkewMs) {
      problems.push({ field: 'timestamp', message: 'is more than 24 hours in the future' });
    } else if (timestamp.getUTCFullYear() < 2000) {
      problems.push({ field: 'timestamp', message: 'is before the year 2000' });
    }
  }

  if (problems.length > 0) return { problems };
  return {
    score: { id, requestId, traceId, spanId, responseId, team, name, value, label, source: source as ScoreSource, evaluator, comment, timestamp },
  };
}
