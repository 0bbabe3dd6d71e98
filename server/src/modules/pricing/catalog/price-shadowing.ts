import { compileModelPattern, type CompiledModelPattern } from './model-pattern';
import type { PriceEntry } from './price-entry';
import { normalizeProviderName } from './provider-name';

/*
 * Which prices an import takes over from, or loses to, under the matcher's rules (price-matcher.ts). Two entries
 * compete where one event could be priced by either: the same model name and a provider both apply to (the same
 * provider, or one of them generic). Whether two patterns can match one name is not decidable in general, so the
 * report probes with the names the catalog knows exactly (every exact entry's name, any provider): two patterns
 * compete when a known name matches both. The winner going forward is decided as the matcher decides:
 *   a provider's own entry beats a generic one; then an exact name beats a pattern; then the later effectiveFrom
 *   (the other entry's latest version); at one instant, the longer pattern, then the alphabetically first.
 * A newer version of the very same entry (pattern and provider) is history, not shadowing, and is not reported;
 * an existing version of it dated after the imported one is reported: the import is superseded from that date.
 */

export type ShadowRelation = 'SHADOWS' | 'SHADOWED_BY';

export interface PriceReference {
  modelPattern: string;
  provider: string;
  effectiveFrom: Date;
  source: string;
}

export interface PriceShadowing {
  /** The imported entry. */
  entry: PriceReference;
  relation: ShadowRelation;
  /** The catalog entry it shadows or is shadowed by (for a pattern, its latest version). */
  other: PriceReference;
  /** The provider whose events are concerned ('' for events priced by generic entries). */
  provider: string;
  /** One model name both match, and how many known names they share. */
  modelName: string;
  modelNames: number;
  reason: string;
}

interface Group {
  key: string;
  provider: string;
  pattern: CompiledModelPattern;
  /** Versions, oldest first. */
  versions: PriceEntry[];
}

/** The shadowing between `imported` entries and the `existing` catalog they join, sorted for reading. */
export function findShadowing(existing: readonly PriceEntry[], imported: readonly PriceEntry[]): PriceShadowing[] {
  const importedKeys = new Set(imported.map((entry) => `${keyOf(entry)}\u0000${entry.effectiveFrom.getTime()}`));
  // An existing version the import rewrites (same entry, same instant) is replaced, not competed with.
  const survivors = existing.filter((entry) => !importedKeys.has(`${keyOf(entry)}\u0000${entry.effectiveFrom.getTime()}`));
  const existingGroups = groupsOf(survivors);
  const importedGroups = groupsOf(imported);
  const knownNames = new Set<string>();
  for (const group of [...existingGroups, ...importedGroups]) {
    if (group.pattern.exactName !== null) knownNames.add(group.pattern.exactName);
  }
  const existingByKey = new Map(existingGroups.map((group) => [group.key, group]));
  const existingByProvider = new Map<string, Group[]>();
  for (const group of existingGroups) {
    const groups = existingByProvider.get(group.provider) ?? [];
    groups.push(group);
    existingByProvider.set(group.provider, groups);
  }
  const competitorsOf = (provider: string): Group[] =>
    provider === '' ? existingGroups : [...(existingByProvider.get(provider) ?? []), ...(existingByProvider.get('') ?? [])];
  const findings = new Map<string, PriceShadowing>();
  for (const group of importedGroups) {
    const names = group.pattern.exactName !== null ? [group.pattern.exactName] : [...knownNames].filter((name) => group.pattern.matches(name));
    for (const version of group.versions) {
      const sameEntry = existingByKey.get(group.key);
      const later = sameEntry?.versions.find((other) => other.effectiveFrom.getTime() > version.effectiveFrom.getTime());
      if (sameEntry && later) {
        record(findings, version, 'SHADOWED_BY', later, group.provider, names[0] ?? group.pattern.source, names.length, `a later version of the same entry takes over from ${later.effectiveFrom.toISOString()}`);
      }
      for (const other of competitorsOf(group.provider)) {
        if (other.key === group.key) continue;
        const provider = sharedProvider(group.provider, other.provider);
        if (provider === null) continue;
        const shared = names.filter((name) => other.pattern.matches(name));
        if (shared.length === 0) continue;
        const latest = other.versions[other.versions.length - 1];
        const verdict = compare(group, version, other, latest);
        record(findings, version, verdict.relation, latest, provider, shared[0], shared.length, verdict.reason);
      }
    }
  }
  return [...findings.values()].sort(
    (first, second) =>
      compareText(first.entry.provider, second.entry.provider) ||
      compareText(first.entry.modelPattern, second.entry.modelPattern) ||
      compareText(first.other.provider, second.other.provider) ||
      compareText(first.other.modelPattern, second.other.modelPattern),
  );
}

function compare(imported: Group, version: PriceEntry, other: Group, latest: PriceEntry): { relation: ShadowRelation; reason: string } {
  if (imported.provider !== other.provider) {
    return imported.provider !== ''
      ? { relation: 'SHADOWS', reason: "a provider's own price beats a generic one" }
      : { relation: 'SHADOWED_BY', reason: "a provider's own price beats a generic one" };
  }
  const importedExact = imported.pattern.exactName !== null;
  const otherExact = other.pattern.exactName !== null;
  if (importedExact !== otherExact) {
    return importedExact
      ? { relation: 'SHADOWS', reason: 'an exact model name beats a pattern' }
      : { relation: 'SHADOWED_BY', reason: 'an exact model name beats a pattern' };
  }
  const difference = version.effectiveFrom.getTime() - latest.effectiveFrom.getTime();
  if (difference !== 0) {
    return difference > 0
      ? { relation: 'SHADOWS', reason: 'the later effectiveFrom wins' }
      : { relation: 'SHADOWED_BY', reason: `the later effectiveFrom wins (${latest.effectiveFrom.toISOString()})` };
  }
  const importedWins =
    imported.pattern.specificity > other.pattern.specificity ||
    (imported.pattern.specificity === other.pattern.specificity && imported.pattern.source < other.pattern.source);
  return { relation: importedWins ? 'SHADOWS' : 'SHADOWED_BY', reason: 'same effectiveFrom: the longer pattern, then the alphabetically first, wins' };
}

/** The provider whose events both entries can price; null when none (two different providers). */
function sharedProvider(first: string, second: string): string | null {
  if (first === second) return first;
  if (first === '') return second;
  if (second === '') return first;
  return null;
}

function record(
  findings: Map<string, PriceShadowing>,
  version: PriceEntry,
  relation: ShadowRelation,
  other: PriceEntry,
  provider: string,
  modelName: string,
  modelNames: number,
  reason: string,
): void {
  const key = `${keyOf(version)}\u0000${version.effectiveFrom.getTime()}\u0000${keyOf(other)}\u0000${relation}`;
  if (findings.has(key)) return;
  findings.set(key, { entry: referenceOf(version), relation, other: referenceOf(other), provider, modelName, modelNames, reason });
}

function groupsOf(entries: readonly PriceEntry[]): Group[] {
  const groups = new Map<string, Group>();
  for (const entry of entries) {
    const key = keyOf(entry);
    let group = groups.get(key);
    if (!group) {
      group = { key, provider: normalizeProviderName(entry.provider), pattern: compileModelPattern(entry.modelPattern), versions: [] };
      groups.set(key, group);
    }
    group.versions.push(entry);
  }
  for (const group of groups.values()) group.versions.sort((first, second) => first.effectiveFrom.getTime() - second.effectiveFrom.getTime());
  return [...groups.values()];
}

function keyOf(entry: PriceEntry): string {
  return `${normalizeProviderName(entry.provider)}\u0000${entry.modelPattern}`;
}

function referenceOf(entry: PriceEntry): PriceReference {
  return { modelPattern: entry.modelPattern, provider: entry.provider, effectiveFrom: entry.effectiveFrom, source: entry.source };
}

function compareText(first: string, second: string): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

/** One line per finding, for the CLI and logs. */
export function describeShadowing(findings: readonly PriceShadowing[]): string[] {
  const name = (reference: PriceReference) =>
    `${reference.provider || 'any provider'} / ${reference.modelPattern} (${reference.source}, from ${reference.effectiveFrom.toISOString().slice(0, 10)})`;
  return findings.map(
    (finding) =>
      `${name(finding.entry)} ${finding.relation === 'SHADOWS' ? 'shadows' : 'is shadowed by'} ${name(finding.other)} ` +
      `for ${finding.modelName}${finding.modelNames > 1 ? ` and ${finding.modelNames - 1} more` : ''}: ${finding.reason}`,
  );
}
