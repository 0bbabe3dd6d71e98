import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ClaimStore } from '../../engine/claims/claim-store';
import { withLeaseLock } from '../../engine/claims/lease-lock';
import { clickhouseTime, dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { CLAIMS, QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { PricingService } from '../pricing/pricing.service';
import { IngestRepository, type RepricingCursor, type RequestRevision } from './ingest.repository';
import type { RequestRow } from './request-row';

const hourMilliseconds = 3600_000;
/** Requests read per page: bounded memory whatever the range and the engine. */
const pageRows = 2000;

/**
 * Re-prices stored requests after the catalog changed: the one owner of re-pricing. Each changed request gets a
 * revision (its new cost and the cost it replaces), so the hourly rollup adds exactly the difference and nothing
 * is deleted or rebuilt. Runs under a lock shared by every process: overlapping runs take turns, and each reads
 * the versions the one before it wrote. Events arriving meanwhile are priced with the catalog at ingest.
 */
@Injectable()
export class CostRecomputeService implements OnModuleInit {
  private readonly logger = new Logger('Recompute');

  constructor(
    private readonly repository: IngestRepository,
    private readonly pricing: PricingService,
    @Inject(QUEUE) private readonly queue: QueuePort,
    @Inject(CLAIMS) private readonly claims: ClaimStore,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler('pricing.recompute-costs', (payload, progress) => this.recompute(new Date(payload.from), new Date(payload.to), progress));
  }

  /** Re-prices stored requests in [from, to) in the background; returns the job id. */
  requestRecompute(from: Date, to: Date, requestedBy: string): Promise<string> {
    if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
    return this.queue.enqueue('pricing.recompute-costs', { from: from.toISOString(), to: to.toISOString(), requestedBy });
  }

  async recompute(from: Date, to: Date, progress: (percent: number) => Promise<void>): Promise<{ repriced: number; scanned: number }> {
    return withLeaseLock(this.claims, 'pricing.recompute-costs', () => this.repriceRange(from, to, progress), {
      onWait: () => this.logger.log('Another re-pricing is running; this one starts when it ends'),
    });
  }

  private async repriceRange(from: Date, to: Date, progress: (percent: number) => Promise<void>): Promise<{ repriced: number; scanned: number }> {
    // Another process may have changed the catalog a moment ago; price with what is stored now.
    await this.pricing.reloadCatalog();
    const start = new Date(Math.floor(from.getTime() / hourMilliseconds) * hourMilliseconds);
    const end = new Date(Math.ceil(to.getTime() / hourMilliseconds) * hourMilliseconds);
    let cursor: RepricingCursor | null = null;
    let repriced = 0;
    let scanned = 0;
    for (;;) {
      const page = await this.repository.readRepricingPage(start, end, cursor, pageRows);
      if (page.length === 0) break;
      scanned += page.length;
      const revisedAt = clickhouseTime(new Date());
      const revisions = page.flatMap((row) => this.revise(row, revisedAt));
      if (revisions.length > 0) {
        const outcome = await this.repository.writeRevisions(revisions);
        repriced += outcome.written;
      }
      const last = page[page.length - 1];
      const lastTime = timeOfRow(last);
      cursor = { hour: clickhouseTime(new Date(Math.floor(lastTime / hourMilliseconds) * hourMilliseconds)).slice(0, 19), team: last.team, model: last.model, id: last.id };
      await progress(Math.min(99, Math.round(((lastTime - start.getTime()) / (end.getTime() - start.getTime())) * 100)));
    }
    await progress(100);
    this.logger.log(`Re-priced ${repriced} of ${scanned} requests from ${start.toISOString()} to ${end.toISOString()}`);
    return { repriced, scanned };
  }

  private revise(row: RequestRow, revisedAt: string): RequestRevision[] {
    const cost = this.pricing.priceRequest(
      row.model,
      row.provider,
      new Date(timeOfRow(row)),
      { inputTokens: Number(row.input_tokens), outputTokens: Number(row.output_tokens), cachedInputTokens: Number(row.cached_input_tokens) },
      null,
    );
    const costNanoUsd = cost.costNanoUsd === null ? null : cost.costNanoUsd.toString();
    if (costNanoUsd === row.cost_nano_usd && cost.source === row.cost_source) return [];
    return [
      {
        baseVersion: row.ingested_at,
        row: { ...row, cost_nano_usd: costNanoUsd, cost_source: cost.source, is_revision: 1, previous_cost_nano_usd: row.cost_nano_usd, ingested_at: revisedAt },
      },
    ];
  }
}

function timeOfRow(row: RequestRow): number {
  return dateFromClickhouseTime(row.timestamp).getTime();
}
