import type { PriceEntry } from './price-entry';
import { normalizeProviderName } from './provider-name';

/** All prices of one (provider, pattern) pair, oldest first: the history a lookup binary-searches. */
interface PriceHistory {
  provider: string;
  modelPattern: string;
  pattern: RegExp;
  specificity: number;
  effectiveTimes: number[];
  entries: PriceEntry[];
}

export class PricePatternError extends Error {
  override readonly name = 'PricePatternError';
}

/**
 * Finds the price in force for an event. Ingest calls this for every event, so patterns are compiled once here and
 * the winning history is cached per (provider, model): a repeated lookup is a map hit and a binary search on time.
 */
export class PriceMatcher {
  /** Sorted best first, so the first history that matches an event is the one the rules choose. */
  private readonly histories: PriceHistory[];
  private readonly historyByLookup = new Map<string, PriceHistory[]>();

  constructor(entries: readonly PriceEntry[]) {
    const historyByKey = new Map<string, PriceHistory>();
    for (const entry of entries) {
      const provider = normalizeProviderName(entry.provider);
      const key = `${provider}\u0000${entry.modelPattern}`;
      let history = historyByKey.get(key);
      if (!history) {
        history = {
          provider,
          modelPattern: entry.modelPattern,
          pattern: compileModelPattern(entry.modelPattern),
          specificity: patternSpecificity(entry.modelPattern),
          effectiveTimes: [],
          entries: [],
        };
        historyByKey.set(key, history);
      }
      history.entries.push(entry);
    }
    for (const history of historyByKey.values()) sortHistory(history);
    this.histories = [...historyByKey.values()].sort(comparePreference);
  }

  /**
   * The price in force at `at` for `model` from `provider`. Candidates match the model and have provider '' or the
   * event's provider (any provider when the event names none). A provider-specific price beats a generic one, then
   * the longer pattern (the more specific) wins, then the latest effectiveFrom not after `at`. When the preferred
   * pattern has no price yet at `at`, the next matching pattern that has one is used, so importing a catalog today
   * does not un-price history. An event older than every matching price gets null: its price is unknown.
   */
  find(model: string, provider: string | undefined, at: Date): PriceEntry | null {
    const time = at.getTime();
    if (Number.isNaN(time)) throw new RangeError('find: `at` is an invalid Date');
    for (const history of this.historiesFor(model, normalizeProviderName(provider))) {
      const index = lastIndexAtOrBefore(history.effectiveTimes, time);
      if (index >= 0) return history.entries[index];
    }
    return null;
  }

  /** Every history matching the model, best first; cached per (provider, model). */
  private historiesFor(model: string, provider: string): PriceHistory[] {
    const lookupKey = `${provider}\u0000${model}`;
    const cached = this.historyByLookup.get(lookupKey);
    if (cached !== undefined) return cached;
    const histories = this.histories.filter(
      (candidate) => (candidate.provider === '' || provider === '' || candidate.provider === provider) && candidate.pattern.test(model),
    );
    // Model names come from clients; a bounded cache keeps a flood of distinct names from growing memory forever.
    if (this.historyByLookup.size >= MAX_CACHED_LOOKUPS) {
      const oldestKey = this.historyByLookup.keys().next().value;
      if (oldestKey !== undefined) this.historyByLookup.delete(oldestKey);
    }
    this.historyByLookup.set(lookupKey, histories);
    return histories;
  }
}

const MAX_CACHED_LOOKUPS = 10_000;

/**
 * Anchored and case-insensitive. The pattern is always wrapped in ^(?:…)$, even when it already starts with ^ and
 * ends with $: wrapping an anchored pattern changes nothing, while 'a|b$' only looks anchored.
 */
export function compileModelPattern(modelPattern: string): RegExp {
  try {
    return new RegExp(`^(?:${modelPattern})$`, 'i');
  } catch (error) {
    throw new PricePatternError(`model pattern ${JSON.stringify(modelPattern)} is not a valid regular expression: ${
      (error as Error).message}`);
  }
}

/** Length of the pattern without its own anchors, so an anchored and an unanchored spelling rank the same. */
function patternSpecificity(modelPattern: string): number {
  return modelPattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '').length;
}

function comparePreference(first: PriceHistory, second: PriceHistory): number {
  const firstGeneric = first.provider === '' ? 1 : 0;
  const secondGeneric = second.provider === '' ? 1 : 0;
  return (
    firstGeneric - secondGeneric ||
    second.specificity - first.specificity ||
    // Equal rank: any fixed order keeps a lookup's answer independent of the order entries were loaded in.
    compareText(first.provider, second.provider) ||
    compareText(first.modelPattern, second.modelPattern)
  );
}

function sortHistory(history: PriceHistory): void {
  const timed = history.entries.map((entry, order) => ({ entry, order, time: effectiveTime(entry) }));
  // Equal instants keep input order, so the entry given last wins (a re-import replaces the same instant's price).
  timed.sort((first, second) => first.time - second.time || first.order - second.order);
  history.entries = timed.map((item) => item.entry);
  history.effectiveTimes = timed.map((item) => item.time);
}

function effectiveTime(entry: PriceEntry): number {
  const time = entry.effectiveFrom instanceof Date ? entry.effectiveFrom.getTime() : Number.NaN;
  if (Number.isNaN(time)) {
    throw new RangeError(`price for ${JSON.stringify(entry.modelPattern)} has an invalid effectiveFrom`);
  }
  return time;
}

/** Index of the last time <= target in an ascending array, -1 when every time is later. */
function lastIndexAtOrBefore(times: readonly number[], target: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function compareText(first: string, second: string): number {
  return first < second ? -1 : first > second ? 1 : 0;
}
