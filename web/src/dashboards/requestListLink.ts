import type { Period } from './period';

/** The Requests list filtered on one team or model over the dashboard's period. */
export function requestListLink(filter: Record<string, string>, period: Period): string {
  const listFilter = { ...filter, timestamp_gte: period.from.toISOString(), timestamp_lte: period.to.toISOString() };
  return `/requests?filter=${encodeURIComponent(JSON.stringify(listFilter))}`;
}
