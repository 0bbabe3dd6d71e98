import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { parseBatch, readRequestBody } from '../../engine/http/request-body';
import { IngestKeyAuth } from '../tenancy/access.decorators';
import { GpuIngestService, type GpuIngestAnswer } from './gpu-ingest.service';

@Controller('api/v1/ingest')
export class GpuController {
  constructor(
    private readonly gpu: GpuIngestService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /**
   * GPU samples as the exporter sends them, `{"samples": [...]}` (also a bare JSON array or NDJSON), optionally
   * gzip. 200 with a result per sample unless every sample was refused (400).
   */
  @IngestKeyAuth()
  @Post('gpu')
  @HttpCode(200)
  async gpuSamples(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<GpuIngestAnswer> {
    const body = await readRequestBody(request, this.config.maxBodyBytes);
    const items = await parseBatch(body, String(request.headers['content-type'] ?? ''), { envelopeField: 'samples' });
    const answer = await this.gpu.ingestSamples(items);
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}
