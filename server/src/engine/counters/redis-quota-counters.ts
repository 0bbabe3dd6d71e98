import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
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
  type SettleStatus,
} from './quota-counters';
import { READ_SCRIPT, RESERVE_SCRIPT, SETTLE_SCRIPT } from './redis-quota-scripts';

type ScriptCall = (numberOfKeys: number, ...keysAndArguments: Array<string | number>) => Promise<unknown>;

const COMMANDS = { reserve: 'wardenQuotaReserve', settle: 'wardenQuotaSettle', read: 'wardenQuotaRead' } as const;

export interface RedisQuotaCounterOptions extends QuotaCounterOptions {
  /** Prefix of every key this driver writes. Default "warden:quota:". */
  keyPrefix?: string;
}

/**
 * The counters on Redis: each operation is one Lua script (ioredis `defineCommand`, sent as EVALSHA), so check and
 * hold are one atomic step across every quota and every server sharing the Redis. Time comes from the caller's
 * clock (passed to the script), so a frozen test clock works the same as on the in-process driver.
 */
export class RedisQuotaCounters implements QuotaCounters {
  readonly driver = 'redis' as const;
  private readonly now: () => number;
  private readonly settleWindowMs: number;
  private readonly keyPrefix: string;
  private readonly calls: Record<keyof typeof COMMANDS, ScriptCall>;

  /** Uses `redis` without owning it; `connect` makes a driver that owns (and closes) its own connection. */
  constructor(
    private readonly redis: Redis,
    options: RedisQuotaCounterOptions = {},
    private readonly ownsConnection = false,
  ) {
    this.now = options.now ?? Date.now;
    this.settleWindowMs = options.settleWindowMs ?? DEFAULT_SETTLE_WINDOW_MS;
    this.keyPrefix = options.keyPrefix ?? 'warden:quota:';
    const scripts = { reserve: RESERVE_SCRIPT, settle: SETTLE_SCRIPT, read: READ_SCRIPT };
    const commands = redis as unknown as Record<string, ScriptCall | undefined>;
    for (const [name, command] of Object.entries(COMMANDS)) {
      if (typeof commands[command] !== 'function') redis.defineCommand(command, { lua: scripts[name as keyof typeof scripts] });
    }
    this.calls = {
      reserve: (...args) => commands[COMMANDS.reserve]!.apply(redis, args),
      settle: (...args) => commands[COMMANDS.settle]!.apply(redis, args),
      read: (...args) => commands[COMMANDS.read]!.apply(redis, args),
    };
  }

  static connect(redisUrl: string, options: RedisQuotaCounterOptions = {}): RedisQuotaCounters {
    return new RedisQuotaCounters(new Redis(redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true }), options, true);
  }

  async reserve(items: readonly CounterItem[], options: { holdMs: number }): Promise<ReserveOutcome> {
    checkReserveArguments(items, options.holdMs);
    const now = this.now();
    const holdUntil = now + options.holdMs;
    const recordUntil = holdUntil + this.settleWindowMs;
    const reservationId = randomUUID();
    const keys = [this.recordKey(reservationId), ...items.flatMap((item) => this.counterKeys(item.key))];
    const argumentsList: Array<string | number> = [now, holdUntil, recordUntil, reservationId, items.length];
    for (const item of items) {
      const keepUntil = Math.max(item.expiresAt, holdUntil) + this.settleWindowMs;
      argumentsList.push(item.amount.toString(), item.limit.toString(), item.enforcement === 'hard' ? '1' : '0', item.unit, keepUntil, item.key);
    }
    const answer = (await this.calls.reserve(keys.length, ...keys, ...argumentsList)) as Array<number | string>;
    const readings = items.map((item, index) => reading(item.key, item.limit, BigInt(answer[2 + index * 2]), BigInt(answer[3 + index * 2])));
    if (Number(answer[0]) !== 1) return { admitted: false, refusedIndex: Number(answer[1]) - 1, readings };
    const softOverLimit = items.flatMap((item, index) => (item.enforcement === 'soft' && readings[index].remaining < 0n ? [index] : []));
    return { admitted: true, reservationId, readings, softOverLimit };
  }

  async settle(reservationId: string, actual: Readonly<Record<string, bigint>>, options: { fallbackItems?: readonly CounterItem[]; forget?: boolean } = {}): Promise<SettleOutcome> {
    checkActual(actual);
    const now = this.now();
    const argumentsList: Array<string | number> = [now, 'settle', reservationId, options.forget ? '1' : '0', Object.keys(actual).length];
    for (const [unit, amount] of Object.entries(actual)) argumentsList.push(unit, amount.toString());
    const fallbackItems = options.fallbackItems ?? [];
    argumentsList.push(fallbackItems.length);
    for (const item of fallbackItems) {
      const [counter, holds] = this.counterKeys(item.key);
      const keepUntil = Math.max(item.expiresAt, now) + this.settleWindowMs;
      argumentsList.push(counter, holds, (actual[item.unit] ?? item.amount).toString(), item.limit.toString(), keepUntil, item.key);
    }
    const answer = (await this.calls.settle(1, this.recordKey(reservationId), ...argumentsList)) as string[];
    return { status: answer[0] as SettleStatus, readings: readingsOf(answer) };
  }

  async release(reservationId: string, options: { forget?: boolean } = {}): Promise<ReleaseStatus> {
    const answer = (await this.calls.settle(1, this.recordKey(reservationId), this.now(), 'release', reservationId, options.forget ? '1' : '0', 0, 0)) as string[];
    return answer[0] as ReleaseStatus;
  }

  async read(items: ReadonlyArray<Pick<CounterItem, 'key' | 'limit'>>): Promise<CounterReading[]> {
    if (items.length === 0) return [];
    const keys = items.flatMap((item) => this.counterKeys(item.key));
    const answer = (await this.calls.read(keys.length, ...keys, this.now())) as string[];
    return items.map((item, index) => reading(item.key, item.limit, BigInt(answer[index * 2]), BigInt(answer[index * 2 + 1])));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }

  private recordKey(reservationId: string): string {
    return `${this.keyPrefix}r:${reservationId}`;
  }

  private counterKeys(key: string): [string, string] {
    return [`${this.keyPrefix}c:${key}`, `${this.keyPrefix}c:${key}:h`];
  }
}

/** {status, name, limit, used, held, name, …} */
function readingsOf(answer: string[]): CounterReading[] {
  const readings: CounterReading[] = [];
  for (let index = 1; index + 3 < answer.length; index += 4) {
    readings.push(reading(answer[index], BigInt(answer[index + 1]), BigInt(answer[index + 2]), BigInt(answer[index + 3])));
  }
  return readings;
}
