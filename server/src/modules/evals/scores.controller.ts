import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { parseBatch, readRequestBody } from '../../engine/http/request-body';
import { CurrentApiKey, IngestKeyAuth } from '../tenancy/access.decorators';
import type { ApiKeyPrincipal } from '../tenancy/principals';
import { ScoresService, type ScoreIngestAnswer, type ScoreSender } from './scores.service';

/** The key behind the request: its id is stamped on the rows, and a team key decides the team. */
function senderOf(apiKey: ApiKeyPrincipal | undefined): ScoreSender {
  return { apiKeyId: apiKey?.keyId ?? '', keyTeam: apiKey?.team ?? null };
}

@Controller('api/v1/ingest')
export class ScoresController {
  constructor(
    private readonly scores: ScoresService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** Evaluation scores as a JSON array or NDJSON (optionally gzip). 200 unless every item was refused (400). */
  @IngestKeyAuth()
  @Post('scores')
  @HttpCode(200)
  async scoresBatch(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentApiKey() apiKey: ApiKeyPrincipal | undefined,
  ): Promise<ScoreIngestAnswer> {
    const body = await readRequestBody(request, this.config.maxBodyBytes);
    const items = await parseBatch(body, String(request.headers['content-type'] ?? ''));
    const answer = await this.scores.ingestScores(items, senderOf(apiKey));
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}
