import { Controller, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { readRequestBytes } from '../../engine/http/request-body';
import { CurrentApiKey, IngestKeyAuth } from '../tenancy/access.decorators';
import type { ApiKeyPrincipal } from '../tenancy/principals';
import { encodeOtlpErrorStatus, grpcStatusCodes, otlpEncodingOf, type OtlpHttpAnswer } from './otlp';
import { OtlpErrorFilter } from './otlp-error.filter';
import { OtlpIngestService } from './otlp-ingest.service';

/**
 * OTLP/HTTP traces receiver: JSON or protobuf, identity or gzip, the ingest key as `Authorization: Bearer`. The body
 * is read as bytes (413 past WARDEN_MAX_BODY_BYTES before anything is parsed); every error is answered in the OTLP
 * error body (OtlpErrorFilter).
 */
@Controller('v1')
@UseFilters(OtlpErrorFilter)
export class OtlpTracesController {
  constructor(
    private readonly otlp: OtlpIngestService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  @IngestKeyAuth()
  @Post('traces')
  @HttpCode(200)
  async traces(@Req() request: Request, @Res() response: Response, @CurrentApiKey() apiKey: ApiKeyPrincipal | undefined): Promise<void> {
    const encoding = otlpEncodingOf(request.headers['content-type']);
    if (!encoding) {
      request.resume();
      send(response, encodeOtlpErrorStatus('json', {
        httpStatus: 415,
        grpcCode: grpcStatusCodes.invalidArgument,
        message: `Unsupported Content-Type "${String(request.headers['content-type'] ?? '')}": send application/json or application/x-protobuf`,
      }));
      return;
    }
    const raw = await readRequestBytes(request, this.config.maxBodyBytes);
    // A team key decides the team of every span and score.
    const keyTeam = apiKey?.team ?? null;
    send(response, await this.otlp.ingestTraces(raw, encoding, request.headers['content-encoding'], { apiKeyId: apiKey?.keyId ?? '', keyTeam }));
  }
}

function send(response: Response, answer: OtlpHttpAnswer): void {
  response.status(answer.httpStatus).type(answer.contentType).send(answer.body);
}
