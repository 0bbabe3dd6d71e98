import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IngestKeyAuth } from '../../engine/auth/auth.decorators';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { parseBatch, readRequestBody } from '../../engine/http/request-body';
import { IngestKeyGuard } from '../tenancy/ingest-key.guard';
import { ScoresService, type ScoreIngestAnswer, type ScoreSender } from './scores.service';

/** The key behind the request: its id is stamped on the rows, and a team key decides the team of its scores. */
function senderOf(request: Request): ScoreSender {
  const key = (request as Request & { apiKey?: { id: string; team?: string | null } }).apiKey;
  return { apiKeyId: key?.id ?? '', keyTeam: key?.team ?? null };
}

@Controller('api/v1/ingest')
@IngestKeyAuth()
@UseGuards(IngestKeyGuard)
export class ScoresController {
  constructor(
    private readonly scores: ScoresService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** Evaluation scores as a JSON array or NDJSON (optionally gzip). 200 unless every item was refused (400). */
  @Post('scores')
  @HttpCode(200)
  async scoresBatch(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<ScoreIngestAnswer> {
    const body = await readRequestBody(request, this.config.maxBodyBytes);
    const items = parseBatch(body, String(request.headers['content-type'] ?? ''));
    const answer = await this.scores.ingestScores(items, senderOf(request));
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}
