/** What a score says: a number (0.83), a verdict (true) or a label ("hallucinated"). */
export type ScoreValue = number | boolean | string;

export const scoreSources = ['api', 'eval', 'human'] as const;
/** Who produced the score: sent by an application, by an evaluation job, or by a person reviewing the answer. */
export type ScoreSource = (typeof scoreSources)[number];

/**
 * An evaluation score after validation (wire format: camelCase JSON, `timestamp` ISO-8601). It points at its request
 * by `requestId`, or by `traceId` + `spanId` (the OpenTelemetry span of the call), or by `responseId` (the provider's
 * `gen_ai.response.id`); an absent reference is the empty string. A score may arrive before its request.
 */
export interface Score {
  /** Idempotency key: a re-sent id never counts twice. */
  id: string;
  requestId: string;
  /** 32 lowercase hex digits, or empty. */
  traceId: string;
  /** 16 lowercase hex digits, or empty. */
  spanId: string;
  responseId: string;
  /** The request's team: request ids are unique per team only. */
  team: string;
  name: string;
  value: ScoreValue;
  /**
   * A label that came beside a numeric value (an OpenTelemetry evaluation event may carry both a score and a label);
   * a categorical score definition reads it. Empty when none.
   */
  label: string;
  source: ScoreSource;
  /** The tool that produced it, e.g. `hhem-2.1`, `ragas.faithfulness`; the score's name when the sender gave none. */
  evaluator: string;
  comment: string;
  timestamp: Date;
}

export type { FieldProblem } from '../../../engine/validation/field-problems';
