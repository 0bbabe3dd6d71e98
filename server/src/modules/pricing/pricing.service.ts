import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { costNanoUsd, type TokenUsage } from './catalog/cost-calculator';
import { loadDefaultCatalog } from './catalog/default-catalog';
import { parseCatalogFile } from './catalog/detect-format';
import { compileModelPattern } from './catalog/model-pattern';
import { checkPriceColumn } from './catalog/price-column';
import type { PriceEntry } from './catalog/price-entry';
import { PriceMatcher } from './catalog/price-matcher';
import { findShadowing, type PriceShadowing } from './catalog/price-shadowing';
import { normalizeProviderName } from './catalog/provider-name';
import type { PriceEntity } from './price.entity';
import { PricingRepository, type PriceListQuery } from './pricing.repository';

export interface PricedCost {
  /** null: no price known for this model at this time. Never 0 for "unknown". */
  costNanoUsd: bigint | null;
  source: 'event' | 'catalog' | 'unknown';
}

export interface PriceRates {
  /** Decimal strings; checked against numeric(20,9) here, each error naming its field. */
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
}

export interface PriceInput extends PriceRates {
  modelPattern: string;
  provider: string;
  effectiveFrom: Date;
}

export interface PriceVersion {
  price: PriceEntity;
  /** When the next version takes over; null for the latest. */
  effectiveUntil: Date | null;
  /** The version that prices an event happening now. */
  inForce: boolean;
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: string[];
  /** What the import shadows or is shadowed by (price-shadowing.ts), at most `maxShadowingReported`. */
  shadowing: PriceShadowing[];
  shadowingCount: number;
}

/** Other processes (workers, replicas) pick up catalog edits within this time. */
const catalogRefreshMilliseconds = 60_000;
const maxErrorsReported = 200;
const maxShadowingReported = 200;

@Injectable()
export class PricingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Pricing');
  private matcher = new PriceMatcher([]);
  private refreshTimer?: NodeJS.Timeout;

  constructor(private readonly repository: PricingRepository) {}

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
    // A row stored before patterns ran on RE2 may not compile any more; it is left out loudly, never fatal.
    this.matcher = new PriceMatcher(rows.map(toPriceEntry), (entry, error) =>
      this.logger.error(`price ${JSON.stringify(entry.modelPattern)} (${entry.provider || 'any provider'}) left out: ${error.message}`),
    );
  }

  /**
   * The cost of one request: the sender's own figure if given, else the catalog price in force at its time (rules in
   * catalog/price-matcher.ts). Ingest calls this per event: the lookup is cached per (provider, model).
   */
  priceRequest(model: string, provider: string, at: Date, usage: TokenUsage, reportedCostNanoUsd: bigint | null): PricedCost {
    if (reportedCostNanoUsd !== null) return { costNanoUsd: reportedCostNanoUsd, source: 'event' };
    const entry = this.matcher.find(model, provider || undefined, at);
    if (!entry) return { costNanoUsd: null, source: 'unknown' };
    return { costNanoUsd: costNanoUsd(entry, usage), source: 'catalog' };
  }

  /** The catalog price in force at `at` for each model name as an event without a provider gets it; null if none. */
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

  /** Every version of the entry (pattern and provider) the price `id` belongs to, oldest first. */
  async versions(id: string, now = new Date()): Promise<PriceVersion[]> {
    const price = await this.get(id);
    const versions = await this.repository.findVersions(price.modelPattern, price.provider);
    const inForce = versions.filter((version) => version.effectiveFrom.getTime() <= now.getTime()).pop();
    return versions.map((version, index) => ({
      price: version,
      effectiveUntil: versions[index + 1]?.effectiveFrom ?? null,
      inForce: version === inForce,
    }));
  }

  async create(input: PriceInput): Promise<PriceEntity> {
    const values = validatePriceInput(input);
    const saved = await this.repository.save({ ...values, currency: 'USD', source: 'manual' });
    await this.reloadCatalog();
    return saved;
  }

  /**
   * A measured (internal) price: the on-prem cost per token of `node` over [from, to), as a new version of the
   * generic entry for that exact model name, effective from `effectiveFrom`. Generic (no provider), so every event of
   * the model and every budget check (which prices by model) uses it from that instant on; the catalog reloads at
   * once here and within a minute in other processes.
   */
  async createMeasured(model: string, rates: PriceRates, effectiveFrom: Date, window: { node: string; from: Date; to: Date }): Promise<PriceEntity> {
    const values = validatePriceInput({ ...rates, modelPattern: escapeModelName(model), provider: '', effectiveFrom });
    const measured = { source: 'measured', measuredNode: window.node, measuredFrom: window.from, measuredTo: window.to };
    const sameInstant = await this.repository.findVersionAt(values.modelPattern, values.provider, values.effectiveFrom);
    const saved = sameInstant
      ? await this.repository.save({ ...sameInstant, ...values, ...measured })
      : await this.repository.save({ ...values, currency: 'USD', ...measured });
    await this.reloadCatalog();
    return saved;
  }

  /**
   * An edit never rewrites a price in force: new rates become a new version of the same entry, effective from
   * `effectiveFrom` (default now), and the versions before it keep pricing the events of their time. A version that
   * starts at that very instant is replaced only while it is not yet in force; otherwise CONFLICT. The pattern and
   * the provider name the entry and cannot change (that would re-price the past): create another price instead.
   * Saving unchanged rates without a date changes nothing.
   */
  async update(id: string, changes: Partial<PriceInput>, now = new Date()): Promise<PriceEntity> {
    const existing = await this.get(id);
    const problems: string[] = [];
    if (changes.modelPattern !== undefined && changes.modelPattern !== existing.modelPattern) {
      problems.push('modelPattern: cannot change: events already priced by this entry would change; create a new price instead');
    }
    if (changes.provider !== undefined && normalizeProviderName(changes.provider) !== normalizeProviderName(existing.provider)) {
      problems.push('provider: cannot change: events already priced by this entry would change; create a new price instead');
    }
    if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
    const validated = validatePriceInput({
      modelPattern: existing.modelPattern,
      provider: existing.provider,
      inputPerMillionUsd: changes.inputPerMillionUsd ?? existing.inputPerMillionUsd,
      outputPerMillionUsd: changes.outputPerMillionUsd ?? existing.outputPerMillionUsd,
      cachedInputPerMillionUsd: changes.cachedInputPerMillionUsd !== undefined ? changes.cachedInputPerMillionUsd : existing.cachedInputPerMillionUsd,
      effectiveFrom: changes.effectiveFrom ?? now,
    });
    // Versions of one entry share its stored spelling exactly (the unique index is on it).
    const values = { ...validated, provider: existing.provider };
    if (changes.effectiveFrom === undefined && sameRates(values, existing)) return existing;
    const sameInstant = await this.repository.findVersionAt(values.modelPattern, values.provider, values.effectiveFrom);
    let saved: PriceEntity;
    if (sameInstant) {
      if (sameRates(values, sameInstant)) return sameInstant;
      if (sameInstant.effectiveFrom.getTime() <= now.getTime()) {
        throw new DomainError(
          ErrorCode.Conflict,
          `The version of this price from ${sameInstant.effectiveFrom.toISOString()} is already in force and is never rewritten: ` +
            'give the new rates a later effectiveFrom',
        );
      }
      saved = await this.repository.save({ ...sameInstant, ...values, source: 'manual' });
    } else {
      saved = await this.repository.save({ ...values, currency: 'USD', source: 'manual' });
    }
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
    // One row per (pattern, provider, instant): the file's last wins, as a re-import replaces the same instant.
    const entries = [...new Map(parsed.entries.map((entry) => [`${entry.provider}\u0000${entry.modelPattern}\u0000${entry.effectiveFrom.getTime()}`, entry])).values()];
    const existing = (await this.repository.findAll()).map(toPriceEntry).filter((entry) => compiles(entry.modelPattern));
    const shadowing = findShadowing(existing, entries);
    const imported = await this.repository.upsertEntries(entries);
    await this.reloadCatalog();
    this.logger.log(`Imported ${imported} prices (${parsed.format}), skipped ${parsed.skipped.length}, ${shadowing.length} shadowing`);
    return {
      imported,
      skipped: parsed.skipped.length,
      errors: parsed.skipped.slice(0, maxErrorsReported).map((skipped) => `${skipped.key}: ${skipped.reason}`),
      shadowing: shadowing.slice(0, maxShadowingReported),
      shadowingCount: shadowing.length,
    };
  }

}

/** A model name as a pattern that stands for exactly that name: ASCII punctuation escaped (RE2 accepts every one). */
export function escapeModelName(model: string): string {
  return model.replace(/[\\^$.|?*+()[\]{}]/g, (character) => `\\${character}`);
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

function compiles(modelPattern: string): boolean {
  try {
    compileModelPattern(modelPattern);
    return true;
  } catch {
    return false;
  }
}

function sameRates(first: PriceRates, second: PriceRates): boolean {
  const canonical = (value: string | null) => (value === null ? null : checkPriceColumn(value));
  return (
    canonical(first.inputPerMillionUsd) === canonical(second.inputPerMillionUsd) &&
    canonical(first.outputPerMillionUsd) === canonical(second.outputPerMillionUsd) &&
    canonical(first.cachedInputPerMillionUsd) === canonical(second.cachedInputPerMillionUsd)
  );
}

/**
 * Every problem at once, each naming its field; returns the values as stored: provider normalized, rates canonical.
 * The pattern must compile on RE2 (linear-time matching); the rates must fit numeric(20,9) exactly.
 */
export function validatePriceInput(input: PriceInput): PriceInput {
  const problems: string[] = [];
  try {
    compileModelPattern(input.modelPattern);
  } catch (error) {
    problems.push(`modelPattern: ${(error as Error).message}`);
  }
  const rate = (field: 'inputPerMillionUsd' | 'outputPerMillionUsd' | 'cachedInputPerMillionUsd'): string | null => {
    const value = input[field];
    if (value === null) return null;
    try {
      return checkPriceColumn(value);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return value;
    }
  };
  const values: PriceInput = {
    modelPattern: input.modelPattern,
    provider: normalizeProviderName(input.provider),
    inputPerMillionUsd: rate('inputPerMillionUsd') ?? '',
    outputPerMillionUsd: rate('outputPerMillionUsd') ?? '',
    cachedInputPerMillionUsd: rate('cachedInputPerMillionUsd'),
    effectiveFrom: input.effectiveFrom,
  };
  if (Number.isNaN(input.effectiveFrom.getTime())) problems.push('effectiveFrom: must be a date');
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
  return values;
}
