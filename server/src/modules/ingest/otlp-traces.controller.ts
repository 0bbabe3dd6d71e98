import { Controller, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IngestKeyAuth } from '../../engine/auth/auth.decorators';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { readRequestBytes } from '../../engine/http/request-body';
import { ScoresService } from '../evals/scores.service';
import { IngestKeyGuard } from '../tenancy/ingest-key.guard';
import { IngestService } from './ingest.service';
import {
  decodeOtlpTraceRequest,
  encodeExportTraceResponse,
  encodeOtlpErrorStatus,
  grpcStatusCodes,
  inflateOtlpBody,
  otlpEncodingOf,
  otlpPartialSuccess,
  translateOtlpTraces,
  type OtlpHttpAnswer,
  type OtlpTranslation,
} from './otlp';
import { OtlpErrorFilter } from './otlp-error.filter';

/**
 * OTLP/HTTP traces receiver (JSON or protobuf, identity or gzip; ingest key as `Authorization: Bearer`). GenAI
 * model-call spans become request events (source `otlp`) through IngestService, `gen_ai.evaluation.result` events
 * become scores through ScoresService; both exactly once (span and score ids derive from the span). Answered with
 * the OTLP partial success naming what was refused; every error in the OTLP error body (OtlpErrorFilter).
 */
@Controller('v1')
@IngestKeyAuth()
@UseGuards(IngestKeyGuard)
@UseFilters(OtlpErrorFilter)
export class OtlpTracesController {
  constructor(
    private readonly ingest: IngestService,
    private readonly scores: ScoresService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  @Post('traces')
  @HttpCode(200)
  async traces(@Req() request: Request, @Res() response: Response): Promise<void> {
    const encoding = otlpEncodingOf(request.headers['content-type']);
    if (!encoding) {
      send(response, encodeOtlpErrorStatus('json', {
        httpStatus: 415,
        grpcCode: grpcStatusCodes.invalidArgument,
        message: `Unsupported Content-Type "${String(request.headers['content-type'] ?? '')}": send application/json or application/x-protobuf`,
      }));
      request.resume();
      return;
    }
    const raw = await readRequestBytes(request, this.config.maxBodyBytes);
    const body = await inflateOtlpBody(raw, request.headers['content-encoding'], this.config.maxBodyBytes);
    const key = (request as Request & { apiKey?: { id: string; team?: string | null } }).apiKey;
    const translation = translateOtlpTraces(decodeOtlpTraceRequest(body, encoding), { keyTeam: key?.team ?? null });
    const [events, scores] = await Promise.all([
      this.ingest.ingestEvents(translation.events, { apiKeyId: key?.id ?? '', source: 'otlp' }),
      this.scores.storeScores(translation.scores, { apiKeyId: key?.id ?? '', keyTeam: key?.team ?? null }),
    ]);
    addStorageRefusals(translation, events.results, scores.answer.results);
    send(response, encodeExportTraceResponse(encoding, otlpPartialSuccess(translation)));
  }
}

function send(response: Response, answer: OtlpHttpAnswer): void {
  response.status(answer.httpStatus).type(answer.contentType).send(answer.body);
}

interface RefusedItem {
  index: number;
  status: string;
  errors?: Array<{ field: string; message: string }>;
  indexes?: number[];
}

/**
 * Spans and evaluations refused when stored (older than the retention, an unknown score name, a value out of range)
 * join those refused when decoded, so the partial success counts and names them all.
 */
function addStorageRefusals(translation: OtlpTranslation, eventResults: RefusedItem[], scoreResults: RefusedItem[]): void {
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
