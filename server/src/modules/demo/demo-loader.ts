import type { IngestService } from '../ingest/ingest.service';
import type { UsageService } from '../usage/usage.service';
import { generateDemoEvents } from './demo-traffic';

export interface DemoOptions {
  total?: number;
  days?: number;
  log: (text: string) => void;
}

/** Loads 30 days of demo traffic through the real ingest path, unless requests are already stored. */
export async function loadDemoData(ingest: IngestService, usage: UsageService, options: DemoOptions): Promise<void> {
  if ((await usage.countRequests({})) > 0) {
    options.log('Demo data: the store already has requests; nothing loaded.\n');
    return;
  }
  const total = options.total ?? 1_050_000;
  const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
  const started = Date.now();
  const batchSize = 10_000;
  let batch: Array<{ value: unknown }> = [];
  let loaded = 0;
  const inFlight = new Set<Promise<void>>();
  const progress = () => {
    const share = Math.min(1, loaded / total);
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    const seconds = (Date.now() - started) / 1000;
    options.log(`\rDemo data [${bar}] ${loaded.toLocaleString('en-US')} events  ${Math.round(loaded / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s`);
  };
  const send = async (items: Array<{ value: unknown }>) => {
    const answer = await ingest.ingestRequests(items);
    if (answer.rejected > 0) throw new Error(`demo data refused: ${JSON.stringify(answer.results.find((result) => result.status === 'rejected'))}`);
    loaded += items.length;
    progress();
  };
  for (const event of generateDemoEvents({ end, days: options.days ?? 30, total })) {
    batch.push({ value: event });
    if (batch.length < batchSize) continue;
    // A few batches in flight keep the writer's batches full without holding the whole data set in memory.
    const pending = send(batch).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
    batch = [];
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  if (batch.length > 0) await send(batch);
  await Promise.all(inFlight);
  options.log(`\nDemo data: ${loaded.toLocaleString('en-US')} events over ${options.days ?? 30} days in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
