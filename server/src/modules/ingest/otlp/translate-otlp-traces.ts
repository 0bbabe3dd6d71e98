import type { FieldProblem } from '../../../engine/validation/field-problems';
import type { Score } from '../../evals/dto/score';
import { mapEvaluationEvents } from './genai-evaluation-scores';
import { mapGenAiSpan } from './genai-span-mapping';
import { readString } from './otlp-attribute-values';
import type { OtlpRequestEvent } from './otlp-request-event';
import type { OtlpAttributes, OtlpTraceRequest } from './otlp-trace-request';

export interface OtlpTranslationOptions {
  /** The team of the ingest key when it is a team key: it decides the team of every span. Null for an org-level key. */
  keyTeam?: string | null;
  /** The clock the ingest rules (future timestamps) are measured from. */
  now?: number;
}

/** Why one span's request event, or one of its evaluation events, was refused. */
export interface OtlpSpanProblem {
  traceId: string;
  spanId: string;
  spanName: string;
  /** `span`: the request event was refused (the span counts as rejected). `evaluation`: one evaluation event was. */
  subject: 'span' | 'evaluation';
  /** For an evaluation: its position among the span's events. */
  eventIndex?: number;
  problems: FieldProblem[];
}

export interface OtlpTranslation {
  events: OtlpRequestEvent[];
  scores: Score[];
  /** Every span in the request. */
  spans: number;
  /** Spans without GenAI attributes, counted and dropped. */
  droppedNotGenAi: number;
  /** GenAI spans that are not model calls (tools, agents, retrievals), counted and dropped. */
  droppedNotModelCall: number;
  /** GenAI model-call spans refused: the `rejected_spans` of the OTLP partial success. */
  rejectedSpans: number;
  rejectedEvaluations: number;
  /** Evaluation events that report a failed evaluation (`error.type`), skipped. */
  failedEvaluations: number;
  problems: OtlpSpanProblem[];
}

/**
 * The team of a resource's spans: the ingest key's team, else the resource attribute `warden.team`, else
 * `service.name`; empty when none (the ingest rules then file the event under "unassigned").
 */
export function resolveOtlpTeam(resourceAttributes: OtlpAttributes, keyTeam: string | null | undefined): string {
  return keyTeam || readString(resourceAttributes, 'warden.team') || readString(resourceAttributes, 'service.name');
}

/**
 * Turns a decoded export into request events (GenAI model-call spans) and scores (`gen_ai.evaluation.result`
 * events on any span), counting what is dropped and naming what is refused, span by span, so the caller can store
 * the good ones and answer the OTLP partial success.
 */
export function translateOtlpTraces(request: OtlpTraceRequest, options: OtlpTranslationOptions = {}): OtlpTranslation {
  const now = options.now ?? Date.now();
  const translation: OtlpTranslation = {
    events: [], scores: [], spans: 0, droppedNotGenAi: 0, droppedNotModelCall: 0, rejectedSpans: 0, rejectedEvaluations: 0, failedEvaluations: 0, problems: [],
  };
  for (const resource of request.resourceSpans) {
    const team = resolveOtlpTeam(resource.resourceAttributes, options.keyTeam);
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) {
        translation.spans++;
        const mapping = mapGenAiSpan(span, { resourceAttributes: resource.resourceAttributes, scopeName: scope.scopeName, team, now });
        switch (mapping.outcome) {
          case 'request':
            translation.events.push(mapping.event);
            break;
          case 'rejected':
            translation.rejectedSpans++;
            translation.problems.push({ traceId: span.traceId, spanId: span.spanId, spanName: span.name, subject: 'span', problems: mapping.problems });
            break;
          case 'not_genai':
            translation.droppedNotGenAi++;
            break;
          case 'not_model_call':
            translation.droppedNotModelCall++;
            break;
        }
        if (span.events.length === 0) continue;
        for (const evaluation of mapEvaluationEvents(span, team || 'unassigned', now)) {
          if (evaluation.outcome === 'score') {
            translation.scores.push(evaluation.score);
          } else if (evaluation.outcome === 'evaluation_failed') {
            translation.failedEvaluations++;
          } else {
            translation.rejectedEvaluations++;
            translation.problems.push({
              traceId: span.traceId, spanId: span.spanId, spanName: span.name, subject: 'evaluation', eventIndex: evaluation.eventIndex, problems: evaluation.problems,
            });
          }
        }
      }
    }
  }
  return translation;
}
