export * from './quota-counters';
export { InProcessQuotaCounters } from './in-process-quota-counters';
export { RedisQuotaCounters, type RedisQuotaCounterOptions } from './redis-quota-counters';
