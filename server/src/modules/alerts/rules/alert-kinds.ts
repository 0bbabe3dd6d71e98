import type { FieldProblem } from '../../../engine/validation/field-problems';

export const alertKinds = ['budget_burn', 'hallucination_rate', 'policy_deny_spike', 'gpu_idle', 'gpu_hot', 'node_down', 'agent_silent'] as const;
export type AlertKind = (typeof alertKinds)[number];

export function isAlertKind(value: unknown): value is AlertKind {
  return typeof value === 'string' && (alertKinds as readonly string[]).includes(value);
}

interface NumberParam {
  type: 'number';
  minimum: number;
  maximum: number;
  integer?: boolean;
  /** The minimum itself is refused (a rate threshold of 0 would always fire). */
  exclusiveMinimum?: boolean;
  default: number;
}
interface BooleanParam {
  type: 'boolean';
  default: boolean;
}
interface PercentListParam {
  type: 'percents';
  default: number[];
}
interface TextParam {
  type: 'text';
  default: null;
}
type ParamSpec = NumberParam | BooleanParam | PercentListParam | TextParam;

/** Every kind's parameters, their bounds and defaults: the one place the console's forms and the README follow. */
export const alertParamSpecs: Record<AlertKind, Record<string, ParamSpec>> = {
  budget_burn: {
    thresholds: { type: 'percents', default: [50, 80, 100] },
    projectedOverrun: { type: 'boolean', default: true },
    // Early in a period one expensive hour projects a huge month: no projection before this much has elapsed.
    projectionMinElapsedHours: { type: 'number', minimum: 0, maximum: 744, default: 24 },
  },
  hallucination_rate: {
    windowMinutes: { type: 'number', minimum: 5, maximum: 10_080, integer: true, default: 60 },
    threshold: { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true, default: 0.1 },
    // A rate from three verdicts says little: below this many scored requests a model is not judged.
    minScored: { type: 'number', minimum: 1, maximum: 1_000_000, integer: true, default: 20 },
    evaluator: { type: 'text', default: null },
    model: { type: 'text', default: null },
  },
  policy_deny_spike: {
    windowMinutes: { type: 'number', minimum: 1, maximum: 10_080, integer: true, default: 15 },
    threshold: { type: 'number', minimum: 1, maximum: 1_000_000_000, integer: true, default: 50 },
    reason: { type: 'text', default: null },
  },
  gpu_idle: {
    windowHours: { type: 'number', minimum: 1, maximum: 2160, integer: true, default: 1 },
    utilizationBelowPercent: { type: 'number', minimum: 0, maximum: 100, exclusiveMinimum: true, default: 5 },
  },
  gpu_hot: {
    windowMinutes: { type: 'number', minimum: 1, maximum: 1440, integer: true, default: 15 },
    temperatureAboveCelsius: { type: 'number', minimum: 30, maximum: 120, default: 85 },
  },
  node_down: {
    windowMinutes: { type: 'number', minimum: 1, maximum: 1440, integer: true, default: 10 },
  },
  agent_silent: {
    windowMinutes: { type: 'number', minimum: 1, maximum: 1440, integer: true, default: 5 },
  },
};

export const policyDenyReasons = ['model_not_allowed', 'insufficient_quota', 'rate_limit_exceeded', 'content_policy_violation', 'on_premises_required'];

export type AlertParams = Record<string, number | boolean | number[] | string | null>;

/**
 * Checks a rule's params against its kind: unknown keys, wrong types and out-of-range values are each named
 * (`params.threshold: …`); absent keys take their defaults. Returns the complete params.
 */
export function validateAlertParams(kind: AlertKind, input: unknown): { params: AlertParams } | { problems: FieldProblem[] } {
  const specs = alertParamSpecs[kind];
  const problems: FieldProblem[] = [];
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    return { problems: [{ field: 'params', message: 'must be a JSON object' }] };
  }
  const given = (input ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in specs)) problems.push({ field: `params.${key.slice(0, 64)}`, message: `unknown for kind ${kind} (known: ${Object.keys(specs).join(', ')})` });
  }
  const params: AlertParams = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key];
    const field = `params.${key}`;
    if (value === undefined || value === null) {
      params[key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
      continue;
    }
    if (spec.type === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ field, message: 'must be a number' });
      else if (spec.integer && !Number.isInteger(value)) problems.push({ field, message: 'must be a whole number' });
      else if (value < spec.minimum || value > spec.maximum || (spec.exclusiveMinimum && value === spec.minimum)) {
        problems.push({ field, message: `must be ${spec.exclusiveMinimum ? 'above' : 'from'} ${spec.minimum} ${spec.exclusiveMinimum ? 'and at most' : 'to'} ${spec.maximum}` });
      } else params[key] = value;
    } else if (spec.type === 'boolean') {
      if (typeof value !== 'boolean') problems.push({ field, message: 'must be true or false' });
      else params[key] = value;
    } else if (spec.type === 'percents') {
      if (!Array.isArray(value) || value.length === 0 || value.length > 10) problems.push({ field, message: 'must be a list of 1 to 10 percentages' });
      else if (!value.every((item) => typeof item === 'number' && Number.isFinite(item) && item > 0 && item <= 1000)) {
        problems.push({ field, message: 'each must be a number above 0 and at most 1000 (percent of the budget)' });
      } else params[key] = [...new Set(value as number[])].sort((first, second) => first - second);
    } else {
      if (typeof value !== 'string' || value.trim() === '' || value.length > 200) problems.push({ field, message: 'must be a non-empty string of at most 200 characters' });
      else if (kind === 'policy_deny_spike' && key === 'reason' && !policyDenyReasons.includes(value)) {
        problems.push({ field, message: `must be one of: ${policyDenyReasons.join(', ')}` });
      } else params[key] = value;
    }
  }
  return problems.length > 0 ? { problems } : { params };
}

/** Which scope a kind can take: budgets and evaluations are about teams, GPUs and nodes about nodes. */
export const alertScopes: Record<AlertKind, { team: boolean; node: boolean }> = {
  budget_burn: { team: true, node: false },
  hallucination_rate: { team: true, node: true },
  policy_deny_spike: { team: true, node: false },
  gpu_idle: { team: false, node: true },
  gpu_hot: { team: false, node: true },
  node_down: { team: false, node: true },
  agent_silent: { team: false, node: true },
};
