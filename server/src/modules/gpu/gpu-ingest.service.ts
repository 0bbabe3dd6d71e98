import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import type { ParsedItem } from '../../engine/http/request-body';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { FieldProblem } from './dto/gpu-sample';
import { validateGpuSample } from './dto/validate-gpu-sample';
import { gpuSampleKey, timestampMsOfRow, toGpuSampleRow, type GpuSampleRow } from './gpu-sample-row';
import { DecisionService } from '../policies/decision.service';
import { GpuRepository } from './gpu.repository';

export type GpuItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface GpuItemResult {
  index: number;
  status: GpuItemStatus;
  errors?: FieldProblem[];
}

export interface GpuIngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: GpuItemResult[];
}

/** GPU samples in: validated one by one, stored once each, answered per sample. */
@Injectable()
export class GpuIngestService {
  private readonly samplesCounter: Counter<'status'>;

  constructor(
    private readonly repository: GpuRepository,
    private readonly policies: DecisionService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    registry: Registry,
  ) {
    this.samplesCounter = new Counter({
      name: 'warden_ingest_gpu_samples_total',
      help: 'GPU samples received, by outcome',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  /** Validates every sample and answers, per sample, only after the good ones are stored. */
  async ingestSamples(items: ParsedItem[], receivedAt = new Date()): Promise<GpuIngestAnswer> {
    const results: GpuItemResult[] = new Array(items.length);
    const rows: GpuSampleRow[] = [];
    const rowIndexes: number[] = [];
    const ingestedAt = clickhouseTime(receivedAt);
    // A key repeated within one request is a duplicate of its first copy, decided here; the writer then reports
    // the keys stored by earlier requests.
    const keysInRequest = new Set<string>();
    // Each node's GPU retention from its policy (gpuDays), else the server's; asked once per node in the request.
    const retentionOfNode = new Map<string, number>();
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      if ('parseError' in item) {
        results[index] = { index, status: 'rejected', errors: [{ field: '(line)', message: item.parseError }] };
        continue;
      }
      const validated = validateGpuSample(item.value, receivedAt.getTime());
      if ('problems' in validated) {
        results[index] = { index, status: 'rejected', errors: validated.problems };
        continue;
      }
      const node = validated.sample.node;
      let retentionDays = retentionOfNode.get(node);
      if (retentionDays === undefined) {
        retentionDays = (await this.policies.gpuRetentionDays(node)) ?? this.config.retentionDays;
        retentionOfNode.set(node, retentionDays);
      }
      // As for requests: the TTL would delete such a row as it is written, so it is refused by name.
      if (validated.sample.timestamp.getTime() + retentionDays * 86_400_000 < receivedAt.getTime() + 3_600_000) {
        results[index] = {
          index,
          status: 'rejected',
          errors: [{ field: 'timestamp', message: `is older than the ${retentionDays}-day retention: it would be deleted on arrival` }],
        };
        continue;
      }
      const row = toGpuSampleRow(validated.sample, retentionDays, ingestedAt);
      const key = gpuSampleKey(row.node, row.gpu_uuid, row.mig_instance, timestampMsOfRow(row));
      if (keysInRequest.has(key)) {
        results[index] = { index, status: 'duplicate' };
        continue;
      }
      keysInRequest.add(key);
      rows.push(row);
      rowIndexes.push(index);
    }
    const outcome = await this.repository.writeSamples(rows);
    rows.forEach((row, position) => {
      const index = rowIndexes[position];
      const refusal = outcome.refusedRows.get(position);
      const key = gpuSampleKey(row.node, row.gpu_uuid, row.mig_instance, timestampMsOfRow(row));
      if (refusal !== undefined) results[index] = { index, status: 'rejected', errors: [{ field: '(sample)', message: refusal }] };
      else results[index] = { index, status: outcome.duplicateKeys.has(key) ? 'duplicate' : 'accepted' };
    });
    const answer: GpuIngestAnswer = { accepted: 0, duplicates: 0, rejected: 0, results };
    for (const result of results) answer[result.status === 'accepted' ? 'accepted' : result.status === 'duplicate' ? 'duplicates' : 'rejected'] += 1;
    this.samplesCounter.inc({ status: 'accepted' }, answer.accepted);
    this.samplesCounter.inc({ status: 'duplicate' }, answer.duplicates);
    this.samplesCounter.inc({ status: 'rejected' }, answer.rejected);
    return answer;
  }
}
