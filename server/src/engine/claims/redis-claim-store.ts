import { Redis } from 'ioredis';
import type { ClaimStore } from './claim-store';

// Each script walks its keys in one atomic step. A key's value is its owner; PX carries the lease.
const acquireScript = `
local held = {}
for index, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
    held[#held + 1] = index
  elseif redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    held[#held + 1] = index
  end
end
return held`;

const renewScript = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 0`;

const releaseScript = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;

type ClaimCommands = Redis & {
  claimAcquire(...args: Array<string | number>): Promise<number[]>;
  claimRenew(...args: Array<string | number>): Promise<number>;
  claimRelease(...args: Array<string | number>): Promise<number>;
};

/** Keys per script call: large batches are claimed in slices so one call never holds Redis for long. */
const keysPerCall = 2000;

/** Claims in Redis, so every server process and worker sharing it sees the same claims. */
export class RedisClaimStore implements ClaimStore {
  readonly driver = 'redis' as const;
  private readonly redis: ClaimCommands;

  constructor(
    redisUrl: string,
    private readonly prefix = 'warden:claim:',
  ) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    redis.defineCommand('claimAcquire', { lua: acquireScript });
    redis.defineCommand('claimRenew', { lua: renewScript });
    redis.defineCommand('claimRelease', { lua: releaseScript });
    // Errors reach the caller through the failed command; without a listener ioredis would also print them.
    redis.on('error', () => undefined);
    this.redis = redis as ClaimCommands;
  }

  async acquire(keys: readonly string[], owner: string, leaseMs: number): Promise<Set<string>> {
    const held = new Set<string>();
    for (const slice of slices(keys)) {
      const indexes = await this.redis.claimAcquire(slice.length, ...slice.map((key) => this.prefix + key), owner, leaseMs);
      for (const index of indexes) held.add(slice[index - 1]);
    }
    return held;
  }

  async renew(keys: readonly string[], owner: string, leaseMs: number): Promise<void> {
    for (const slice of slices(keys)) await this.redis.claimRenew(slice.length, ...slice.map((key) => this.prefix + key), owner, leaseMs);
  }

  async release(keys: readonly string[], owner: string): Promise<void> {
    for (const slice of slices(keys)) await this.redis.claimRelease(slice.length, ...slice.map((key) => this.prefix + key), owner);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function slices(keys: readonly string[]): string[][] {
  const result: string[][] = [];
  for (let start = 0; start < keys.length; start += keysPerCall) result.push(keys.slice(start, start + keysPerCall));
  return result;
}
