import { compileModelPattern, type CompiledModelPattern } from './model-pattern';
import type { PriceEntry } from './price-entry';
import { inferProviderFromModelName, normalizeProviderName, providerPrefixOf } from './provider-name';

export { compileModelPattern, PricePatternError } from './model-pattern';

/*
 * Which price applies to an event (model name, provider, time). The rules, in order:
 *
 * 1. Provider. An event naming a provider is priced by that provider's own entries first, then by generic entries
 *    (provider ''); another provider's entries never price it. An event without a provider is priced as if it named
 *    the model's first-party provider where the name makes it obvious (gpt-… → openai, claude-… → anthropic,
 *    gemini-… → google; inferProviderFromModelName), otherwise by generic entries only: an Azure or Bedrock list
 *    price never applies to an event that does not say it went there. A model name with a provider prefix
 *    ('azure/gpt-4o'), whose event names no provider or that same one, is first looked up as that provider plus the
 *    rest of the name ('gpt-4o'), then as written; only prefixes that some catalog entry has as its provider count.
 * 2. Kind. Within one provider's entries (or the generic ones), an exact model name beats a pattern.
 * 3. Date. Between entries of the same provider and kind that match, the latest effectiveFrom not after the event
 *    wins, whatever the patterns look like. Two patterns of the same instant: the longer pattern, then the
 *    alphabetically first; the same pattern twice at one instant: the entry given last (a re-import replaces it).
 *
 * A group with no entry in force at the event's time (its first price is later) falls through to the next group, so
 * an import today never un-prices history. An event older than every matching price gets null: its price is unknown.
 */

/** All prices of one (provider, pattern) pair: the unit the catalog's history is kept in. */
interface PriceHistory {
  provider: string;
  pattern: CompiledModelPattern;
  entries: Array<{ entry: PriceEntry; time: number; order: number }>;
}

/** The merged history of one rule group for one lookup: binary-searched by time. */
interface Timeline {
  times: number[];
  entries: PriceEntry[];
}

/**
 * Finds the price in force for an event. Ingest calls this for every event, so patterns are compiled once here and
 * the groups of a (provider, model) are merged and cached: a repeated lookup is a map hit and a binary search.
 */
export class PriceMatcher {
  private readonly exactByProvider = new Map<string, Map<string, PriceHistory[]>>();
  private readonly patternsByProvider = new Map<string, PriceHistory[]>();
  private readonly timelinesByLookup = new Map<string, Timeline[]>();

  /**
   * Throws on an entry whose pattern RE2 cannot compile or whose date is invalid, naming it; with `onInvalid`, such
   * an entry is reported there and left out instead (a stored row from before RE2 must not unprice the rest).
   */
  constructor(entries: readonly PriceEntry[], onInvalid?: (entry: PriceEntry, error: Error) => void) {
    const historyByKey = new Map<string, PriceHistory>();
    entries.forEach((entry, order) => {
      const provider = normalizeProviderName(entry.provider);
      const key = `${provider}\u0000${entry.modelPattern}`;
      try {
        const time = effectiveTime(entry);
        let history = historyByKey.get(key);
        if (!history) {
          history = { provider, pattern: compileModelPattern(entry.modelPattern), entries: [] };
          historyByKey.set(key, history);
        }
        history.entries.push({ entry, time, order });
      } catch (error) {
        if (!onInvalid) throw error;
        onInvalid(entry, error as Error);
      }
    });
    for (const history of historyByKey.values()) {
      const exactName = history.pattern.exactName;
      if (exactName !== null) {
        const byName = this.exactByProvider.get(history.provider) ?? new Map<string, PriceHistory[]>();
        const sameName = byName.get(exactName) ?? [];
        sameName.push(history);
        byName.set(exactName, sameName);
        this.exactByProvider.set(history.provider, byName);
      } else {
        const patterns = this.patternsByProvider.get(history.provider) ?? [];
        patterns.push(history);
        this.patternsByProvider.set(history.provider, patterns);
      }
    }
  }

  /** The price in force at `at` for `model` from `provider` (rules above); null when none is known. */
  find(model: string, provider: string | undefined, at: Date): PriceEntry | null {
    const time = at.getTime();
    if (Number.isNaN(time)) throw new RangeError('find: `at` is an invalid Date');
    for (const timeline of this.timelinesFor(model, provider ?? '')) {
      const index = lastIndexAtOrBefore(timeline.times, time);
      if (index >= 0) return timeline.entries[index];
    }
    return null;
  }

  /** Whether any entry is specific to this (normalized) provider. */
  hasProvider(provider: string): boolean {
    return this.exactByProvider.has(provider) || this.patternsByProvider.has(provider);
  }

  /** The rule groups for one event's model and provider, best first; cached per (provider, model) as sent. */
  private timelinesFor(model: string, rawProvider: string): Timeline[] {
    const lookupKey = `${rawProvider}\u0000${model}`;
    const cached = this.timelinesByLookup.get(lookupKey);
    if (cached !== undefined) return cached;
    const timelines: Timeline[] = [];
    for (const lookup of this.lookupsFor(model, normalizeProviderName(rawProvider))) {
      const providers = lookup.provider === '' ? [''] : [lookup.provider, ''];
      for (const provider of providers) {
        const exact = this.exactByProvider.get(provider)?.get(lookup.model.toLowerCase()) ?? [];
        const patterns = (this.patternsByProvider.get(provider) ?? []).filter((history) => history.pattern.matches(lookup.model));
        for (const group of [exact, patterns]) {
          if (group.length > 0) timelines.push(mergeHistories(group));
        }
      }
    }
    // Model names come from clients; a bounded cache keeps a flood of distinct names from growing memory forever.
    if (this.timelinesByLookup.size >= MAX_CACHED_LOOKUPS) {
      const oldestKey = this.timelinesByLookup.keys().next().value;
      if (oldestKey !== undefined) this.timelinesByLookup.delete(oldestKey);
    }
    this.timelinesByLookup.set(lookupKey, timelines);
    return timelines;
  }

  /** (provider, model) pairs to look up in order: the prefix split first, then the name as sent (rule 1). */
  private lookupsFor(model: string, provider: string): Array<{ provider: string; model: string }> {
    const lookups: Array<{ provider: string; model: string }> = [];
    const prefix = providerPrefixOf(model);
    if (prefix !== '' && (provider === '' || provider === prefix) && this.hasProvider(prefix)) {
      lookups.push({ provider: prefix, model: model.slice(model.indexOf('/') + 1) });
    }
    lookups.push({ provider: provider === '' ? inferProviderFromModelName(model) : provider, model });
    return lookups;
  }
}

const MAX_CACHED_LOOKUPS = 10_000;

/**
 * One timeline from the histories of one rule group, sorted by time; among entries of one instant the winner is
 * placed last, so the binary search for "last at or before" lands on it (rule 3's tie-breaks).
 */
function mergeHistories(histories: readonly PriceHistory[]): Timeline {
  const items = histories.flatMap((history) => history.entries.map((item) => ({ ...item, pattern: history.pattern })));
  items.sort(
    (first, second) =>
      first.time - second.time ||
      first.pattern.specificity - second.pattern.specificity ||
      compareText(second.pattern.source, first.pattern.source) ||
      first.order - second.order,
  );
  return { times: items.map((item) => item.time), entries: items.map((item) => item.entry) };
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
