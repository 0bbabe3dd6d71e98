import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IngestKeyAuth } from '../../engine/auth/auth.decorators';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { IngestKeyGuard } from '../tenancy/ingest-key.guard';
import { parseBatch, readRequestBody } from '../../engine/http/request-body';
import { IngestService, type IngestAnswer } from './ingest.service';

@Controller('api/v1/ingest')
@IngestKeyAuth()
@UseGuards(IngestKeyGuard)
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** Request-log events as a JSON array or NDJSON (optionally gzip). 200 unless every item was refused (400). */
  @Post('requests')
  @HttpCode(200)
  async requests(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<IngestAnswer> {
    const body = await readRequestBody(request, this.config.maxBodyBytes);
    const items = await parseBatch(body, String(request.headers['content-type'] ?? ''));
    const answer = await this.ingest.ingestRequests(items);
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}
