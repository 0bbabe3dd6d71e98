import { describe } from 'vitest';
import { authorizeConcurrencyOverHttp } from './authorize-http-scenarios';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('\n*** REDIS_URL is not set: POST /api/v1/authorize on the Redis counters is SKIPPED ***\n');

describe.skipIf(!redisUrl)('POST /api/v1/authorize under concurrency, Redis counters', () => {
  authorizeConcurrencyOverHttp('redis', {});
});
