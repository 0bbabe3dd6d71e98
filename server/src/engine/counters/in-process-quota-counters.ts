import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SETTLE_WINDOW_MS,
  checkActual,
  checkReserveArguments,
  reading,
  type CounterItem,
  type CounterReading,
  type QuotaCounterOptions,
  type QuotaCounters,
  type ReleaseStatus,
  type ReserveOutcome,
  type SettleOutcome,
} from './quota-counters';

interface Counter {
  used: bigint;
  held: bigint;
  /** Reservation id → held amount and when the hold lapses. */
  holds: Map<string, { amount: bigint; holdUntil: number }>;
  /** No hold lapses before this instant: until then a touch need not look through the holds. */
  nextLapseAt: number;
  dropAt: number;
}

interface Reservation {
  state: 'held' | 'settled' | 'released';
  holdUntil: number;
  dropAt: number;
  items: Array<{ key: string; limit: bigint; amount: bigint; unit: string; dropAt: number }>;
}

const SWEEP_INTERVAL_MS = 10_000;

/**
 * The counters in this process's memory, for the embedded default (no REDIS_URL). Each operation runs to the end
 * without awaiting, so on Node's single thread it is as atomic as the Redis script. Same semantics as the Redis
 * driver; lapsed holds are dropped lazily when their counter is touched, dead keys by a periodic sweep.
 */
export class InProcessQuotaCounters implements QuotaCounters {
  readonly driver = 'in-process' as const;
  private readonly counters = new Map<string, Counter>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly now: () => number;
  private readonly settleWindowMs: number;
  private nextSweepAt = 0;

  constructor(options: QuotaCounterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.settleWindowMs = options.settleWindowMs ?? DEFAULT_SETTLE_WINDOW_MS;
  }

  // async without awaits: each body runs to its end in one turn of the event loop, and errors become rejections.
  async reserve(items: readonly CounterItem[], options: { holdMs: number }): Promise<ReserveOutcome> {
    checkReserveArguments(items, options.holdMs);
    const now = this.now();
    this.sweep(now);
    const holdUntil = now + options.holdMs;
    const recordDropAt = holdUntil + this.settleWindowMs;
    const counters = items.map((item) => this.counter(item.key, now));
    const readings = items.map((item, index) => reading(item.key, item.limit, counters[index].used, counters[index].held));
    const refusedIndex = items.findIndex((item, index) => item.enforcement === 'hard' && !hasRoom(readings[index], item.amount));
    if (refusedIndex !== -1) return { admitted: false, refusedIndex, readings };

    const reservationId = randomUUID();
    const softOverLimit: number[] = [];
    items.forEach((item, index) => {
      const counter = counters[index];
      counter.held += item.amount;
      counter.holds.set(reservationId, { amount: item.amount, holdUntil });
      counter.nextLapseAt = Math.min(counter.nextLapseAt, holdUntil);
      counter.dropAt = Math.max(counter.dropAt, item.expiresAt + this.settleWindowMs, recordDropAt);
      readings[index] = reading(item.key, item.limit, counter.used, counter.held);
      if (item.enforcement === 'soft' && readings[index].remaining < 0n) softOverLimit.push(index);
    });
    this.reservations.set(reservationId, {
      state: 'held',
      holdUntil,
      dropAt: recordDropAt,
      items: items.map((item, index) => ({ key: item.key, limit: item.limit, amount: item.amount, unit: item.unit, dropAt: counters[index].dropAt })),
    });
    return { admitted: true, reservationId, readings, softOverLimit };
  }

  async settle(reservationId: string, actual: Readonly<Record<string, bigint>>, options: { fallbackItems?: readonly CounterItem[]; forget?: boolean } = {}): Promise<SettleOutcome> {
    checkActual(actual);
    const now = this.now();
    this.sweep(now);
    const reservation = this.liveReservation(reservationId, now);
    if (!reservation) {
      const readings = (options.fallbackItems ?? []).map((item) => {
        const counter = this.counter(item.key, now);
        counter.used += actual[item.unit] ?? item.amount;
        counter.dropAt = Math.max(counter.dropAt, item.expiresAt + this.settleWindowMs);
        return reading(item.key, item.limit, counter.used, counter.held);
      });
      return { status: 'unknown', readings };
    }
    if (reservation.state !== 'held') return { status: 'already_settled', readings: [] };
    const expired = reservation.holdUntil <= now;
    const readings = reservation.items.map((item) => {
      const counter = this.dropHold(item.key, reservationId, now, item.dropAt);
      counter.used += actual[item.unit] ?? item.amount;
      return reading(item.key, item.limit, counter.used, counter.held);
    });
    reservation.state = 'settled';
    if (options.forget) this.reservations.delete(reservationId);
    return { status: expired ? 'expired' : 'settled', readings };
  }

  async release(reservationId: string, options: { forget?: boolean } = {}): Promise<ReleaseStatus> {
    const now = this.now();
    this.sweep(now);
    const reservation = this.liveReservation(reservationId, now);
    if (!reservation) return 'unknown';
    if (reservation.state !== 'held') return 'already_settled';
    for (const item of reservation.items) this.dropHold(item.key, reservationId, now, item.dropAt);
    reservation.state = 'released';
    if (options.forget) this.reservations.delete(reservationId);
    return reservation.holdUntil <= now ? 'expired' : 'released';
  }

  async read(items: ReadonlyArray<Pick<CounterItem, 'key' | 'limit'>>): Promise<CounterReading[]> {
    const now = this.now();
    return items.map((item) => {
      const counter = this.counters.get(item.key);
      if (!counter || counter.dropAt <= now) return reading(item.key, item.limit, 0n, 0n);
      this.dropLapsedHolds(counter, now);
      return reading(item.key, item.limit, counter.used, counter.held);
    });
  }

  async close(): Promise<void> {
    this.counters.clear();
    this.reservations.clear();
  }

  private liveReservation(reservationId: string, now: number): Reservation | undefined {
    const reservation = this.reservations.get(reservationId);
    return reservation && reservation.dropAt > now ? reservation : undefined;
  }

  private counter(key: string, now: number): Counter {
    let counter = this.counters.get(key);
    if (!counter || counter.dropAt <= now) {
      counter = { used: 0n, held: 0n, holds: new Map(), nextLapseAt: Infinity, dropAt: now };
      this.counters.set(key, counter);
    }
    this.dropLapsedHolds(counter, now);
    return counter;
  }

  private dropLapsedHolds(counter: Counter, now: number): void {
    if (counter.nextLapseAt > now) return;
    let nextLapseAt = Infinity;
    for (const [reservationId, hold] of counter.holds) {
      if (hold.holdUntil > now) {
        nextLapseAt = Math.min(nextLapseAt, hold.holdUntil);
        continue;
      }
      counter.held -= hold.amount;
      counter.holds.delete(reservationId);
    }
    counter.nextLapseAt = nextLapseAt;
  }

  private dropHold(key: string, reservationId: string, now: number, dropAt: number): Counter {
    const counter = this.counter(key, now);
    const hold = counter.holds.get(reservationId);
    if (hold) {
      counter.held -= hold.amount;
      counter.holds.delete(reservationId);
    }
    counter.dropAt = Math.max(counter.dropAt, dropAt);
    return counter;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, counter] of this.counters) if (counter.dropAt <= now) this.counters.delete(key);
    for (const [id, reservation] of this.reservations) if (reservation.dropAt <= now) this.reservations.delete(id);
  }
}

function hasRoom(current: CounterReading, amount: bigint): boolean {
  const needed = amount > 0n ? amount : 1n;
  return current.used + current.held + needed <= current.limit;
}
