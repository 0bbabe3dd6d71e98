/**
 * The exporter's own footprint. prom-client's default metrics include nodejs_active_handles_total and
 * friends, gauges named like counters that `promtool check metrics` flags; these three say what an operator
 * needs to know about a sidecar: memory, CPU, and since when it runs.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export function registerProcessMetrics(registry: Registry): void {
  new Gauge({
    name: 'warden_gpu_exporter_resident_memory_bytes',
    help: 'Resident set size of the exporter process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  let reportedCpuSeconds = 0;
  new Counter({
    name: 'warden_gpu_exporter_cpu_seconds_total',
    help: 'User and system CPU time the exporter process has used.',
    registers: [registry],
    collect() {
      const usage = process.cpuUsage();
      const seconds = (usage.user + usage.system) / 1e6;
      this.inc(Math.max(0, seconds - reportedCpuSeconds));
      reportedCpuSeconds = Math.max(reportedCpuSeconds, seconds);
    },
  });
  new Gauge({
    name: 'warden_gpu_exporter_start_time_seconds',
    help: 'When the exporter process started, in seconds since the Unix epoch.',
    registers: [registry],
  }).set(Math.round(Date.now() / 1000 - process.uptime()));
}
