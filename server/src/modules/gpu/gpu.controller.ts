import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { parseBatch, readRequestBody, type ParsedItem } from '../../engine/http/request-body';
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
    const items = samplesOf(body, String(request.headers['content-type'] ?? ''));
    const answer = await this.gpu.ingestSamples(items);
    if (answer.rejected > 0 && answer.rejected === items.length) response.status(400);
    return answer;
  }
}

function samplesOf(body: string, contentType: string): ParsedItem[] {
  if (body.trimStart().startsWith('{') && !/ndjson|jsonlines|x-jsonl/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      // Not one JSON object: maybe NDJSON of samples, which parseBatch reads line by line.
      return parseBatch(body, contentType);
    }
    const samples = (parsed as { samples?: unknown }).samples;
    if (!Array.isArray(samples)) throw new DomainError(ErrorCode.MalformedPayload, 'Expected {"samples": [...]}, a JSON array of samples or NDJSON');
    return samples.map((value) => ({ value }));
  }
  return parseBatch(body, contentType);
}
