import type { FieldProblem } from '../../../engine/validation/field-problems';
import type { Score } from '../../evals/dto/score';
import { validateScore } from '../../evals/dto/validate-score';
import { asNumber, readString } from './otlp-attribute-values';
import type { OtlpSpan } from './otlp-trace-request';

export const evaluationEventName = 'gen_ai.evaluation.result';

/** What became of one `gen_ai.evaluation.result` event. */
export type EvaluationEventMapping =
  | { outcome: 'score'; score: Score }
  | { outcome: 'rejected'; eventIndex: number; problems: FieldProblem[] }
  /** The evaluation itself failed (the event carries `error.type`): there is no score to keep. */
  | { outcome: 'evaluation_failed'; eventIndex: number; errorType: string };

/**
 * The scores a span's `gen_ai.evaluation.result` events carry (OpenTelemetry GenAI semantic conventions):
 * `gen_ai.evaluation.name` (required), `gen_ai.evaluation.score.value` and/or `gen_ai.evaluation.score.label`,
 * `gen_ai.evaluation.explanation`, `gen_ai.response.id`, `error.type`. Each score is tied to the span (trace id +
 * span id) and to the response id when the event or the span has one, with source `eval`. Its id is derived from the
 * span and the event's position, so a re-sent export never counts a score twice.
 */
export function mapEvaluationEvents(span: OtlpSpan, team: string, now: number): EvaluationEventMapping[] {
  const mappings: EvaluationEventMapping[] = [];
  for (let eventIndex = 0, evaluationIndex = 0; eventIndex < span.events.length; eventIndex++) {
    const event = span.events[eventIndex];
    if (event.name !== evaluationEventName) continue;
    const position = evaluationIndex++;
    const { attributes } = event;
    const errorType = readString(attributes, 'error.type');
    if (errorType) {
      mappings.push({ outcome: 'evaluation_failed', eventIndex, errorType });
      continue;
    }
    const numeric = asNumber(attributes.get('gen_ai.evaluation.score.value'));
    const label = readString(attributes, 'gen_ai.evaluation.score.label');
    const problems: FieldProblem[] = [];
    if (numeric === null && !label) {
      problems.push({ field: 'gen_ai.evaluation.score.value', message: 'or gen_ai.evaluation.score.label is required' });
    }
    const explanation = readString(attributes, 'gen_ai.evaluation.explanation');
    const time = event.timeUnixNano > 0n ? event.timeUnixNano : span.endTimeUnixNano;
    const checked = validateScore(
      {
        id: `otlp-${span.traceId}-${span.spanId}-e${position}`,
        traceId: span.traceId,
        spanId: span.spanId,
        responseId: readString(attributes, 'gen_ai.response.id') || readString(span.attributes, 'gen_ai.response.id'),
        team,
        name: readString(attributes, 'gen_ai.evaluation.name'),
        value: numeric ?? (label || null),
        label: numeric !== null && label ? label : undefined,
        source: 'eval',
        comment: explanation.length > 10_000 ? explanation.slice(0, 10_000) : explanation,
        timestamp: new Date(Number(time / 1_000_000n)).toISOString(),
      },
      { now },
    );
    if ('problems' in checked) {
      for (const problem of checked.problems) {
        if (problem.field === 'value' && problems.length > 0) continue;
        problems.push({ field: scoreFieldAttribute[problem.field] ?? problem.field, message: problem.message });
      }
    }
    if (problems.length > 0 || 'problems' in checked) mappings.push({ outcome: 'rejected', eventIndex, problems });
    else mappings.push({ outcome: 'score', score: checked.score });
  }
  return mappings;
}

const scoreFieldAttribute: Record<string, string> = {
  name: 'gen_ai.evaluation.name',
  value: 'gen_ai.evaluation.score.value',
  label: 'gen_ai.evaluation.score.label',
  timestamp: 'timeUnixNano',
  responseId: 'gen_ai.response.id',
};
