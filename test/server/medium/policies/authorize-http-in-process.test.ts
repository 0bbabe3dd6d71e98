import { describe } from 'vitest';
import { authorizeConcurrencyOverHttp } from './authorize-http-scenarios';

// REDIS_URL emptied for this app only: the in-process counters, whatever the environment says.
describe('POST /api/v1/authorize under concurrency, in-process counters', () => {
  authorizeConcurrencyOverHttp('in-process', { REDIS_URL: '' });
});
