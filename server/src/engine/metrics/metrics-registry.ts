import { Registry, collectDefaultMetrics } from 'prom-client';

/** The server's own metrics, separate from prom-client's global registry so tests can run several apps. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warden_process_' });
  return registry;
}
