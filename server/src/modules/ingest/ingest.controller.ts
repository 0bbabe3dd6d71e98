import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { CurrentApiKey, IngestKeyAuth } from '../tenancy/access.decorators';
import type { ApiKeyPrincipal } from '../tenancy/principals';
import { parseBatch, readRequestBody } from '../../engine/http/request-body';
import { IngestService, type IngestAnswer } from './ingest.service';

@Controller('api/v1/ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** Request-log events as a JSON array or NDJSON (optionally gzip). 200 unless every item was refused (400). */
  @IngestKeyAuth()
  @Post('requests')
  @HttpCode(200)
  async requests(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentApiKey() apiKey: ApiKeyPrincipal | undefined,
  ): Promise<IngestAnswer> {
    const body = await readRequestBody(request, this.config.maxBodyBytes);
    const items = await parseBatch(body, String(request.headers['content-type'] ?? ''));
    const answer = await this.ingest.ingestRequests(items, { apiKeyId: apiKey?.keyId ?? '', team: apiKey?.team ?? null });
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}
