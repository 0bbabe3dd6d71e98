/**
 * Exact quota counters (the port). Every amount is an integer bigint in the counter's own unit (requests, tokens,
 * nano-USD): no floats anywhere. Both drivers (Redis, in-process) implement the same semantics:
 *
 * - `reserve` checks every item and holds every amount in one atomic step: all or nothing. A hard item is admitted
 *   when used + held + max(amount, 1) <= limit (an amount of 0, an unknown cost, still needs some room); a soft
 *   item is always admitted and reported when over its limit.
 * - A hold lasts `holdMs`; after that it no longer takes room, so a caller that crashed leaks nothing.
 * - `settle` replaces the hold by the actual usage, which may exceed it: usage is always counted, also when the
 *   hold had expired. The reservation record outlives the hold by `settleWindowMs` for that; settling twice counts
 *   once.
 * - A caller that settles (or releases) a reservation here and only once (the gateway, which keeps it in memory)
 *   passes `forget`: the record goes at once instead of a settle window later. A busy gateway would otherwise keep a
 *   record per request served for over an hour (millions, each a Map entry here or a key in Redis).
 * - Counter keys carry their period (the caller puts the period's start in the key), so a new period is a new key
 *   and roll-over is atomic; a key is dropped after its period's end (`expiresAt`) and the settle window.
 */
export interface CounterItem {
  /** One quota in one period, e.g. "claims/monthly/costUsd/month/Asia/Shanghai/1769875200000". */
  key: string;
  limit: bigint;
  /** Held now: the estimate. */
  amount: bigint;
  enforcement: 'hard' | 'soft';
  /** Which figure of `settle`'s `actual` replaces this item's hold (e.g. "tokens"); absent there: the hold stands. */
  unit: string;
  /** Epoch ms when the counter's period ends; the driver keeps the key a settle window longer. */
  expiresAt: number;
}

export interface CounterReading {
  key: string;
  limit: bigint;
  used: bigint;
  held: bigint;
  /** limit - used - held; negative once usage ran past the limit. */
  remaining: bigint;
}

export type ReserveOutcome =
  | { admitted: true; reservationId: string; readings: CounterReading[]; softOverLimit: number[] }
  | { admitted: false; refusedIndex: number; readings: CounterReading[] };

/** `expired`: the hold had lapsed, the usage was counted all the same. `unknown`: no record (fallback items counted). */
export type SettleStatus = 'settled' | 'expired' | 'already_settled' | 'unknown';
export type ReleaseStatus = 'released' | 'expired' | 'already_settled' | 'unknown';

export interface SettleOutcome {
  status: SettleStatus;
  /** The reservation's counters after counting, against the limits they had when reserved. */
  readings: CounterReading[];
}

export interface QuotaCounters {
  readonly driver: 'redis' | 'in-process';
  reserve(items: readonly CounterItem[], options: { holdMs: number }): Promise<ReserveOutcome>;
  /**
   * Counts the actual usage of a reservation (by unit) in place of its hold. When the reservation is unknown (never
   * made, or older than the settle window) the `fallbackItems` are counted instead, with the same `actual`.
   */
  settle(reservationId: string, actual: Readonly<Record<string, bigint>>, options?: { fallbackItems?: readonly CounterItem[]; forget?: boolean }): Promise<SettleOutcome>;
  /** Drops a reservation's hold without counting anything (the request never ran). */
  release(reservationId: string, options?: { forget?: boolean }): Promise<ReleaseStatus>;
  /** The counters' state now, for `x-ratelimit-remaining-*` headers. */
  read(items: ReadonlyArray<Pick<CounterItem, 'key' | 'limit'>>): Promise<CounterReading[]>;
  close(): Promise<void>;
}

export interface QuotaCounterOptions {
  /** The clock; tests freeze it. Default Date.now. */
  now?: () => number;
  /** How long after its hold lapses a reservation can still be settled against its own counters. Default 1 hour. */
  settleWindowMs?: number;
}

export const DEFAULT_SETTLE_WINDOW_MS = 3_600_000;

export function reading(key: string, limit: bigint, used: bigint, held: bigint): CounterReading {
  return { key, limit, used, held, remaining: limit - used - held };
}

/** Refuses what the drivers cannot count exactly: negative amounts, duplicate keys, a non-positive hold. */
export function checkReserveArguments(items: readonly CounterItem[], holdMs: number): void {
  if (!Number.isFinite(holdMs) || holdMs <= 0) throw new RangeError(`holdMs must be positive, got ${holdMs}`);
  const keys = new Set<string>();
  for (const item of items) {
    if (item.amount < 0n || item.limit < 0n) throw new RangeError(`counter ${item.key}: amount and limit must not be negative`);
    if (keys.has(item.key)) throw new RangeError(`counter ${item.key} appears twice in one reservation`);
    keys.add(item.key);
  }
}

export function checkActual(actual: Readonly<Record<string, bigint>>): void {
  for (const [unit, amount] of Object.entries(actual)) {
    if (typeof amount !== 'bigint' || amount < 0n) throw new RangeError(`actual ${unit} must be a non-negative bigint`);
  }
}
