import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { costNanoUsd, type TokenUsage } from './catalog/cost-calculator';
import { loadDefaultCatalog } from './catalog/default-catalog';
import { parseCatalogFile } from './catalog/detect-format';
import { compileModelPattern } from './catalog/price-matcher';
import { PriceMatcher } from './catalog/price-matcher';
import { parseExactDecimal } from '../../engine/money/exact-decimal';
import type { PriceEntry } from './catalog/price-entry';
import type { PriceEntity } from './price.entity';
import { PricingRepository, type PriceListQuery } from './pricing.repository';

export interface PricedCost {
  /** null: no price known for this model at this time. Never 0 for "unknown". */
  costNanoUsd: bigint | null;
  source: 'event' | 'catalog' | 'unknown';
}

export interface PriceInput {
  modelPattern: string;
  provider: string;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
  effectiveFrom: Date;
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: string[];
}

/** Other processes (workers, replicas) pick up catalog edits within this time. */
const catalogRefreshMilliseconds = 60_000;

@Injectable()
export class PricingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Pricing');
  private matcher = new PriceMatcher([]);
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: PricingRepository,
    @Inject(QUEUE) private readonly queue: QueuePort,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.repository.count()) === 0) {
      const seeded = await this.repository.upsertEntries(loadDefaultCatalog());
      this.logger.log(`Price catalog seeded with ${seeded} default prices`);
    }
    await this.reloadCatalog();
    this.refreshTimer = setInterval(() => {
      this.reloadCatalog().catch((error: unknown) => this.logger.error(`catalog refresh failed: ${String(error)}`));
    }, catalogRefreshMilliseconds);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  async reloadCatalog(): Promise<void> {
    const rows = await this.repository.findAll();
    this.matcher = new PriceMatcher(rows.map(toPriceEntry));
  }

  /** The cost of one request: the sender's own figure if given, else the catalog price in force at its time. */
  priceRequest(model: string, provider: string, at: Date, usage: TokenUsage, reportedCostNanoUsd: bigint | null): PricedCost {
    if (reportedCostNanoUsd !== null) return { costNanoUsd: reportedCostNanoUsd, source: 'event' };
    const entry = this.matcher.find(model, provider || undefined, at);
    if (!entry) return { costNanoUsd: null, source: 'unknown' };
    return { costNanoUsd: costNanoUsd(entry, usage), source: 'catalog' };
  }

  /** The catalog price in force at `at` for each model name (any provider), null where none is known. */
  findCatalogPrices(models: readonly string[], at: Date): Array<{ model: string; price: PriceEntry | null }> {
    return models.map((model) => ({ model, price: this.matcher.find(model, undefined, at) }));
  }

  list(query: PriceListQuery) {
    return this.repository.list(query);
  }

  async get(id: string): Promise<PriceEntity> {
    const price = await this.repository.findById(id);
    if (!price) throw new DomainError(ErrorCode.NotFound, `No price with id ${id}`);
    return price;
  }

  async create(input: PriceInput): Promise<PriceEntity> {
    validatePriceInput(input);
    const saved = await this.repository.save({ ...input, currency: 'USD', source: 'manual' });
    await this.reloadCatalog();
    return saved;
  }

  async update(id: string, changes: Partial<PriceInput>): Promise<PriceEntity> {
    const existing = await this.get(id);
    const merged: PriceInput = {
      modelPattern: changes.modelPattern ?? existing.modelPattern,
      provider: changes.provider ?? existing.provider,
      inputPerMillionUsd: changes.inputPerMillionUsd ?? existing.inputPerMillionUsd,
      outputPerMillionUsd: changes.outputPerMillionUsd ?? existing.outputPerMillionUsd,
      cachedInputPerMillionUsd: changes.cachedInputPerMillionUsd !== undefined ? changes.cachedInputPerMillionUsd : existing.cachedInputPerMillionUsd,
      effectiveFrom: changes.effectiveFrom ?? existing.effectiveFrom,
    };
    validatePriceInput(merged);
    const saved = await this.repository.save({ ...existing, ...merged, source: 'manual' });
    await this.reloadCatalog();
    return saved;
  }

  async delete(id: string): Promise<PriceEntity> {
    const existing = await this.get(id);
    await this.repository.delete(id);
    await this.reloadCatalog();
    return existing;
  }

  /** Imports a LiteLLM, Langfuse or Warden catalog file; entries it cannot use are reported, not fatal. */
  async importCatalog(content: string, effectiveFrom: Date): Promise<ImportResult> {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new DomainError(ErrorCode.Validation, `The catalog is not valid JSON: ${(error as Error).message}`);
    }
    let parsed;
    try {
      parsed = parseCatalogFile(json, effectiveFrom);
    } catch (error) {
      throw new DomainError(ErrorCode.Validation, (error as Error).message);
    }
    const imported = await this.repository.upsertEntries(parsed.entries);
    await this.reloadCatalog();
    this.logger.log(`Imported ${imported} prices (${parsed.format}), skipped ${parsed.skipped.length}`);
    return {
      imported,
      skipped: parsed.skipped.length,
      errors: parsed.skipped.slice(0, 200).map((skipped) => `${skipped.key}: ${skipped.reason}`),
    };
  }

  /** Re-prices stored requests in [from, to) in the background; returns the job id. */
  requestRecompute(from: Date, to: Date, requestedBy: string): Promise<string> {
    if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
    return this.queue.enqueue('pricing.recompute-costs', { from: from.toISOString(), to: to.toISOString(), requestedBy });
  }
}

function toPriceEntry(row: PriceEntity): PriceEntry {
  return {
    modelPattern: row.modelPattern,
    provider: row.provider,
    inputPerMillionUsd: row.inputPerMillionUsd,
    outputPerMillionUsd: row.outputPerMillionUsd,
    cachedInputPerMillionUsd: row.cachedInputPerMillionUsd,
    effectiveFrom: row.effectiveFrom,
    source: row.source as PriceEntry['source'],
  };
}

function validatePriceInput(input: PriceInput): void {
  const problems: string[] = [];
  try {
    compileModelPattern(input.modelPattern);
  } catch (error) {
    problems.push(`modelPattern: ${(error as Error).message}`);
  }
  for (const field of ['inputPerMillionUsd', 'outputPerMillionUsd', 'cachedInputPerMillionUsd'] as const) {
    const value = input[field];
    if (value === null) continue;
    try {
      const decimal = parseExactDecimal(value);
      if (decimal.units < 0n) problems.push(`${field}: must not be negative`);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
    }
  }
  if (Number.isNaN(input.effectiveFrom.getTime())) problems.push('effectiveFrom: must be a date');
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
}
