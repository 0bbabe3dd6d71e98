import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import type { ItemResult } from './ingest-answer';
import { ScoresService } from '../evals/scores.service';
import { IngestService } from './ingest.service';
import {
  decodeOtlpTraceRequest,
  encodeExportTraceResponse,
  inflateOtlpBody,
  otlpPartialSuccess,
  translateOtlpTraces,
  type OtlpEncoding,
  type OtlpHttpAnswer,
  type OtlpTranslation,
} from './otlp';

/** The key an export came with: its id is stamped on every row, and a team key decides the team. */
export interface OtlpSender {
  apiKeyId: string;
  keyTeam: string | null;
}

/**
 * One OTLP export, from bytes to answer: inflate, decode, translate; GenAI model-call spans stored as request events
 * (source `otlp`) through IngestService, `gen_ai.evaluation.result` events as scores through ScoresService, both
 * exactly once (ids derive from the span); the partial success names everything refused, when decoded or when
 * stored. Spans are counted by what became of them (`warden_otlp_spans_total`), dropped ones included.
 */
@Injectable()
export class OtlpIngestService {
  private readonly spansCounter: Counter<'outcome'>;

  constructor(
    private readonly ingest: IngestService,
    private readonly scores: ScoresService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    registry: Registry,
  ) {
    this.spansCounter = new Counter({
      name: 'warden_otlp_spans_total',
      help: 'OTLP spans received, by outcome: stored as a request, dropped (not GenAI, not a model call) or rejected',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  async ingestTraces(raw: Buffer, encoding: OtlpEncoding, contentEncoding: string | undefined, sender: OtlpSender): Promise<OtlpHttpAnswer> {
    const body = await inflateOtlpBody(raw, contentEncoding, this.config.maxBodyBytes);
    const translation = translateOtlpTraces(decodeOtlpTraceRequest(body, encoding), { keyTeam: sender.keyTeam });
    const [events, scores] = await Promise.all([
      this.ingest.ingestEvents(translation.events, { apiKeyId: sender.apiKeyId, team: sender.keyTeam, source: 'otlp' }),
      this.scores.storeScores(translation.scores, { apiKeyId: sender.apiKeyId, keyTeam: sender.keyTeam }),
    ]);
    addStorageRefusals(translation, events.results, scores.answer.results);
    this.spansCounter.inc({ outcome: 'request' }, translation.events.length - events.rejected);
    this.spansCounter.inc({ outcome: 'dropped_not_genai' }, translation.droppedNotGenAi);
    this.spansCounter.inc({ outcome: 'dropped_not_model_call' }, translation.droppedNotModelCall);
    this.spansCounter.inc({ outcome: 'rejected' }, translation.rejectedSpans);
    return encodeExportTraceResponse(encoding, otlpPartialSuccess(translation));
  }
}

/**
 * Spans and evaluations refused when stored (older than the retention, an unknown score name, a value out of range)
 * join those refused when decoded, so the partial success counts and names them all.
 */
function addStorageRefusals(translation: OtlpTranslation, eventResults: ItemResult[], scoreResults: ItemResult[]): void {
  for (const result of eventResults) {
    if (result.status !== 'rejected') continue;
    for (const index of result.indexes ?? [result.index]) {
      const event = translation.events[index];
      translation.rejectedSpans++;
      translation.problems.push({
        traceId: event.traceId, spanId: event.spanId, spanName: event.metadata['otel.span.name'] ?? '', subject: 'span', problems: result.errors ?? [],
      });
    }
  }
  for (const result of scoreResults) {
    if (result.status !== 'rejected') continue;
    for (const index of result.indexes ?? [result.index]) {
      const score = translation.scores[index];
      translation.rejectedEvaluations++;
      translation.problems.push({
        traceId: score.traceId,
        spanId: score.spanId,
        spanName: '',
        subject: 'evaluation',
        // Scores from evaluation events are numbered among their span's evaluation events (the id's "-e<n>").
        eventIndex: Number(/-e(\d+)$/.exec(score.id)?.[1] ?? 0),
        problems: result.errors ?? [],
      });
    }
  }
}
