import { describe, expect, it } from 'vitest';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { translateOtlpTraces, type OtlpTranslation } from '../../../../server/src/modules/ingest/otlp/translate-otlp-traces';
import { jsonRequest, jsonSpan, spanId, startNanos, traceId, type SpanOptions } from './otlp-test-support';

const now = Date.parse('2026-03-02T10:00:00Z');
const evaluationTime = String(startNanos + 5_000_000_000n);

function translate(options: SpanOptions, resource?: Record<string, unknown>, keyTeam?: string): OtlpTranslation {
  return translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest([jsonSpan(options)], resource))), { now, keyTeam });
}

function evaluation(attributes: Record<string, unknown>) {
  return { name: 'gen_ai.evaluation.result', timeUnixNano: evaluationTime, attributes };
}

describe('gen_ai.evaluation.result events become scores', () => {
  it('ties a numeric score to the span and the response id, with the explanation as comment', () => {
    const translation = translate({
      attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.id': 'chatcmpl-9' },
      events: [evaluation({ 'gen_ai.evaluation.name': 'hhem-2.1', 'gen_ai.evaluation.score.value': 0.31, 'gen_ai.evaluation.explanation': 'The answer invents a refund policy.' })],
    });
    expect(translation.events).toHaveLength(1);
    expect(translation.scores).toEqual([
      {
        id: `otlp-${traceId}-${spanId}-e0`,
        requestId: '',
        traceId,
        spanId,
        responseId: 'chatcmpl-9',
        team: 'support-bot',
        name: 'hhem-2.1',
        value: 0.31,
        label: '',
        source: 'eval',
        evaluator: 'hhem-2.1',
        comment: 'The answer invents a refund policy.',
        timestamp: new Date('2026-03-02T09:30:05.000Z'),
      },
    ]);
  });

  it('keeps a label beside its score, a label alone as the value, an integral score sent as intValue', () => {
    const translation = translate({
      events: [
        evaluation({ 'gen_ai.evaluation.name': 'phoenix.hallucination', 'gen_ai.evaluation.score.value': 1, 'gen_ai.evaluation.score.label': 'hallucinated' }),
        evaluation({ 'gen_ai.evaluation.name': 'Relevance', 'gen_ai.evaluation.score.label': 'relevant', 'gen_ai.response.id': 'resp-from-event' }),
      ],
    }, { 'service.name': 'svc', 'warden.team': 'search' });
    expect(translation.scores.map(({ id, name, value, label, responseId, team }) => ({ id, name, value, label, responseId, team }))).toEqual([
      { id: `otlp-${traceId}-${spanId}-e0`, name: 'phoenix.hallucination', value: 1, label: 'hallucinated', responseId: '', team: 'search' },
      { id: `otlp-${traceId}-${spanId}-e1`, name: 'Relevance', value: 'relevant', label: '', responseId: 'resp-from-event', team: 'search' },
    ]);
  });

  it('reads evaluation events on spans that are not model calls too, with the key\'s team', () => {
    const translation = translate(
      { attributes: { 'gen_ai.operation.name': 'invoke_agent' }, events: [evaluation({ 'gen_ai.evaluation.name': 'deepeval.hallucination', 'gen_ai.evaluation.score.value': 0.5 })] },
      undefined,
      'payments',
    );
    expect(translation).toMatchObject({ droppedNotModelCall: 1, events: [] });
    expect(translation.scores).toMatchObject([{ name: 'deepeval.hallucination', value: 0.5, team: 'payments', traceId, spanId }]);
  });

  it('refuses an event without a name or a score, naming the attribute; skips a failed evaluation', () => {
    const translation = translate({
      events: [
        evaluation({ 'gen_ai.evaluation.score.value': 0.9 }),
        evaluation({ 'gen_ai.evaluation.name': 'ragas.faithfulness' }),
        { name: 'unrelated' },
        evaluation({ 'gen_ai.evaluation.name': 'ragas.faithfulness', 'error.type': 'timeout' }),
        evaluation({ 'gen_ai.evaluation.name': 'ragas.faithfulness', 'gen_ai.evaluation.score.value': 0.9 }),
      ],
    });
    expect(translation).toMatchObject({ rejectedEvaluations: 2, failedEvaluations: 1, rejectedSpans: 0 });
    expect(translation.problems).toEqual([
      { traceId, spanId, spanName: 'chat gpt-4o', subject: 'evaluation', eventIndex: 0, problems: [{ field: 'gen_ai.evaluation.name', message: 'is required' }] },
      { traceId, spanId, spanName: 'chat gpt-4o', subject: 'evaluation', eventIndex: 1, problems: [{ field: 'gen_ai.evaluation.score.value', message: 'or gen_ai.evaluation.score.label is required' }] },
    ]);
    // Ids count evaluation events only, so the kept score's id does not move when an unrelated event is added.
    expect(translation.scores).toMatchObject([{ id: `otlp-${traceId}-${spanId}-e3`, value: 0.9 }]);
  });
});
