import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CONFIG, QUEUE } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { nanoUsdFromDecimal } from '../../engine/money/exact-decimal';
import { PricingService } from '../pricing/pricing.service';
import type { ParsedItem } from '../../engine/http/request-body';
import type { FieldProblem, RequestEvent } from './dto/request-event';
import { validateRequestEvent } from './dto/validate-request-event';
import { IngestRepository } from './ingest.repository';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { type RequestRow } from './request-row';

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ItemResult {
  index: number;
  id?: string;
  status: ItemStatus;
  errors?: FieldProblem[];
}

export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  unpriced: number;
  results: ItemResult[];
}

const hourMilliseconds = 3600_000;
const dayMilliseconds = 24 * hourMilliseconds;

@Injectable()
export class IngestService implements OnModuleInit {
  private readonly logger = new Logger('Ingest');
  private readonly eventsCounter: Counter<'status'>;

  constructor(
    private readonly repository: IngestRepository,
    private readonly pricing: PricingService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    @Inject(QUEUE) private readonly queue: QueuePort,
    registry: Registry,
  ) {
    this.eventsCounter = new Counter({
      name: 'warden_ingest_events_total',
      help: 'Request-log events received, by outcome',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.queue.registerHandler('pricing.recompute-costs', (payload, progress) =>
      this.recomputeCosts(new Date(payload.from), new Date(payload.to), progress),
    );
  }

  /** Validates every item, prices the good ones, and answers only after they are stored. */
  async ingestRequests(items: ParsedItem[], receivedAt = new Date()): Promise<IngestAnswer> {
    const results: ItemResult[] = new Array(items.length);
    const rows: RequestRow[] = [];
    const rowIndexes: number[] = [];
    const ingestedAt = clickhouseTime(receivedAt);
    // An id repeated inside one request: the first is written, the rest are answered as duplicates here, so the
    // writer's duplicate keys only ever name ids stored earlier or sent by another request.
    const idsInRequest = new Set<string>();
    items.forEach((item, index) => {
      if ('parseError' in item) {
        results[index] = { index, status: 'rejected', errors: [{ field: '(line)', message: item.parseError }] };
        return;
      }
      const validated = validateRequestEvent(item.value, receivedAt.getTime());
      if ('problems' in validated) {
        const id = (item.value as { id?: unknown } | null)?.id;
        results[index] = { index, id: typeof id === 'string' ? id : undefined, status: 'rejected', errors: validated.problems };
        return;
      }
      // The table's TTL deletes such a row as it is written: refuse it by name rather than answer "accepted".
      if (validated.event.timestamp.getTime() + this.config.retentionDays * dayMilliseconds < receivedAt.getTime() + hourMilliseconds) {
        results[index] = {
          index,
          id: validated.event.id,
          status: 'rejected',
          errors: [{ field: 'timestamp', message: `is older than the ${this.config.retentionDays}-day retention: it would be deleted on arrival` }],
        };
        return;
      }
      if (idsInRequest.has(validated.event.id)) {
        results[index] = { index, id: validated.event.id, status: 'duplicate' };
        return;
      }
      idsInRequest.add(validated.event.id);
      const row = this.toRow(validated.event, ingestedAt);
      rows.push(row);
      rowIndexes.push(index);
    });
    const outcome = await this.repository.writeRequests(rows);
    // Counted among the rows stored now: a re-sent unpriced event is a duplicate, not a second unpriced one.
    let unpriced = 0;
    rows.forEach((row, position) => {
      const index = rowIndexes[position];
      const duplicate = outcome.duplicateKeys.has(row.id);
      if (!duplicate && row.cost_nano_usd === null) unpriced += 1;
      results[index] = { index, id: row.id, status: duplicate ? 'duplicate' : 'accepted' };
    });
    const answer: IngestAnswer = { accepted: 0, duplicates: 0, rejected: 0, unpriced, results };
    for (const result of results) {
      if (result.status === 'accepted') answer.accepted += 1;
      else if (result.status === 'duplicate') answer.duplicates += 1;
      else answer.rejected += 1;
    }
    this.eventsCounter.inc({ status: 'accepted' }, answer.accepted);
    this.eventsCounter.inc({ status: 'duplicate' }, answer.duplicates);
    this.eventsCounter.inc({ status: 'rejected' }, answer.rejected);
    return answer;
  }

  private toRow(event: RequestEvent, ingestedAt: string): RequestRow {
    const cost = this.pricing.priceRequest(
      event.model,
      event.provider,
      event.timestamp,
      event,
      event.costUsd === null ? null : nanoUsdFromDecimal(event.costUsd),
    );
    return {
      id: event.id,
      timestamp: clickhouseTime(event.timestamp),
      team: event.team,
      user: event.user,
      provider: event.provider,
      node: event.node,
      model: event.model,
      operation: event.operation,
      input_tokens: event.inputTokens,
      output_tokens: event.outputTokens,
      cached_input_tokens: event.cachedInputTokens,
      latency_ms: event.latencyMs,
      ttft_ms: event.ttftMs,
      status: event.status,
      error_type: event.errorType,
      cost_nano_usd: cost.costNanoUsd === null ? null : cost.costNanoUsd.toString(),
      cost_source: cost.source,
      // Content is stored as sent for now; masking by PII policy comes with the policies module.
      prompt: event.prompt,
      completion: event.completion,
      metadata: event.metadata,
      retention_days: this.config.retentionDays,
      ingested_at: ingestedAt,
    };
  }

  /** Re-prices catalog-priced and unpriced requests in whole hours covering [from, to), one day at a time. */
  async recomputeCosts(from: Date, to: Date, progress: (percent: number) => Promise<void>): Promise<{ repriced: number }> {
    // Another process may have changed the catalog a moment ago; price with what is stored now.
    await this.pricing.reloadCatalog();
    const start = Math.floor(from.getTime() / hourMilliseconds) * hourMilliseconds;
    // Closed hours only: the current hour is still being ingested, and rebuilding its rollup while rows arrive could
    // count them twice. Its new rows are priced with the new catalog at ingest anyway.
    const currentHour = Math.floor(Date.now() / hourMilliseconds) * hourMilliseconds;
    const end = Math.min(Math.ceil(to.getTime() / hourMilliseconds) * hourMilliseconds, currentHour);
    if (end <= start) return { repriced: 0 };
    const step = 24 * hourMilliseconds;
    let repriced = 0;
    for (let chunkStart = start; chunkStart < end; chunkStart += step) {
      const chunkEnd = Math.min(chunkStart + step, end);
      const rows = await this.repository.readRequests(new Date(chunkStart), new Date(chunkEnd));
      const ingestedAt = clickhouseTime(new Date());
      const changed = rows
        .filter((row) => row.cost_source !== 'event')
        .map((row) => {
          const cost = this.pricing.priceRequest(row.model, row.provider, new Date(`${row.timestamp}Z`), {
            inputTokens: Number(row.input_tokens),
            outputTokens: Number(row.output_tokens),
            cachedInputTokens: Number(row.cached_input_tokens),
          }, null);
          return { ...row, cost_nano_usd: cost.costNanoUsd === null ? null : cost.costNanoUsd.toString(), cost_source: cost.source, ingested_at: ingestedAt };
        });
      await this.repository.replaceRequests(changed);
      await this.repository.rebuildHourlyRollup(new Date(chunkStart), new Date(chunkEnd));
      repriced += changed.length;
      await progress(Math.round(((chunkEnd - start) / (end - start)) * 100));
    }
    this.logger.log(`Re-priced ${repriced} requests from ${new Date(start).toISOString()} to ${new Date(end).toISOString()}`);
    return { repriced };
  }
}
