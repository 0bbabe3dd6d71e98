import * as crypto from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';

/** Failed sign-ins allowed per window (README states these). A refused attempt is not checked, so it cannot succeed. */
export const loginLimits = {
  perAccount: { failures: 10, windowSeconds: 15 * 60 },
  perAddress: { failures: 50, windowSeconds: 15 * 60 },
} as const;

export type LoginAdmission = { admitted: true } | { admitted: false; limitedBy: 'account' | 'address'; retryAfterSeconds: number };

interface Limiters {
  byAccount: RateLimiterAbstract;
  byAddress: RateLimiterAbstract;
}

function memoryLimiters(): Limiters {
  return {
    byAccount: new RateLimiterMemory({ keyPrefix: 'account', points: loginLimits.perAccount.failures, duration: loginLimits.perAccount.windowSeconds }),
    byAddress: new RateLimiterMemory({ keyPrefix: 'address', points: loginLimits.perAddress.failures, duration: loginLimits.perAddress.windowSeconds }),
  };
}

/**
 * Sign-in attempts per account and per client address. Each attempt takes a point before the password is checked
 * (so a burst of parallel guesses cannot overshoot); a success gives its address point back and clears the
 * account's failures, so a user who signs in does not spend the allowance of others behind the same address.
 * With REDIS_URL the counters live in Redis and hold across servers; if Redis stops answering, each server falls
 * back to its own memory counters rather than letting every attempt through.
 */
@Injectable()
export class LoginRateLimit implements OnModuleDestroy {
  private readonly logger = new Logger('LoginRateLimit');
  private redis?: Redis;
  private limiters?: Promise<Limiters>;

  constructor(@Inject(CONFIG) private readonly config: WardenConfig) {}

  async admit(account: string, address: string): Promise<LoginAdmission> {
    const { byAccount, byAddress } = await this.ready();
    const refusal = async (limiter: RateLimiterAbstract, key: string): Promise<number | null> => {
      try {
        await limiter.consume(key);
        return null;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    };
    const addressWait = await refusal(byAddress, address);
    if (addressWait !== null) return { admitted: false, limitedBy: 'address', retryAfterSeconds: addressWait };
    const accountWait = await refusal(byAccount, accountKey(account));
    if (accountWait !== null) return { admitted: false, limitedBy: 'account', retryAfterSeconds: accountWait };
    return { admitted: true };
  }

  /** After a successful sign-in: the attempt does not count for its address, and the account starts afresh. */
  async succeeded(account: string, address: string): Promise<void> {
    const { byAccount, byAddress } = await this.ready();
    await Promise.all([byAddress.reward(address, 1), byAccount.delete(accountKey(account))]);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  private ready(): Promise<Limiters> {
    this.limiters ??= this.createLimiters();
    return this.limiters;
  }

  private async createLimiters(): Promise<Limiters> {
    if (!this.config.redisUrl) return memoryLimiters();
    // No offline queue: while Redis is unreachable a command fails at once and the memory fallback answers.
    this.redis = new Redis(this.config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    await this.redis.connect().catch((error: Error) => this.logger.error(`Redis unreachable, login limits kept in memory until it answers: ${error.message}`));
    const fallback = memoryLimiters();
    return {
      byAccount: new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: 'warden:login:account',
        points: loginLimits.perAccount.failures,
        duration: loginLimits.perAccount.windowSeconds,
        insuranceLimiter: fallback.byAccount,
      }),
      byAddress: new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: 'warden:login:address',
        points: loginLimits.perAddress.failures,
        duration: loginLimits.perAddress.windowSeconds,
        insuranceLimiter: fallback.byAddress,
      }),
    };
  }
}

/** Accounts are counted by a hash of the normalised email: fixed-size keys, and no email addresses kept in Redis. */
function accountKey(account: string): string {
  return crypto.createHash('sha256').update(account.trim().toLowerCase()).digest('base64url');
}
