import type { AlertConfigurationService } from '../alerts/alert-configuration.service';
import type { ScoresService } from '../evals/scores.service';
import type { GpuIngestService } from '../gpu/gpu-ingest.service';
import type { IngestService } from '../ingest/ingest.service';
import type { NodeService } from '../nodes/nodes.service';
import type { PoliciesService } from '../policies/policies.service';
import type { UsageService } from '../usage/usage.service';
import { demoNodes, generateDemoGpuSamples } from './demo-fleet';
import { demoAlertRules, demoPolicies } from './demo-governance';
import { demoScoresFor } from './demo-scores';
import { demoModels, generateDemoEvents, seededRandom, type DemoEvent } from './demo-traffic';

export interface DemoServices {
  ingest: IngestService;
  usage: UsageService;
  gpu: GpuIngestService;
  nodes: NodeService;
  /** Evaluation scores for a share of the chat requests (left out: no scores). */
  scores?: ScoresService;
  /** The demo policies, written before the traffic (left out: none, and content is stored as sent). */
  policies?: PoliciesService;
  /** The demo alert rules, written after the data (left out: none). */
  alerts?: AlertConfigurationService;
}

export interface DemoOptions {
  total?: number;
  days?: number;
  log: (text: string) => void;
}

/**
 * Loads 30 days of demo traffic — requests, the GPU nodes behind the self-hosted models and their GPU samples —
 * through the real ingest paths, unless requests are already stored.
 */
export async function loadDemoData(services: DemoServices, options: DemoOptions): Promise<void> {
  const { ingest, usage } = services;
  if ((await usage.countRequests({})) > 0) {
    options.log('Demo data: the store already has requests; nothing loaded.\n');
    return;
  }
  for (const policy of demoPolicies) await services.policies?.put(policy, 'demo');
  const total = options.total ?? 1_050_000;
  const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
  const started = Date.now();
  const batchSize = 10_000;
  let batch: Array<{ value: unknown }> = [];
  let loaded = 0;
  let scored = 0;
  const scoreRandom = seededRandom(7);
  const inFlight = new Set<Promise<void>>();
  const progress = () => {
    const share = Math.min(1, loaded / total);
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    const seconds = (Date.now() - started) / 1000;
    options.log(`\rDemo data [${bar}] ${loaded.toLocaleString('en-US')} events  ${Math.round(loaded / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s`);
  };
  const send = async (items: Array<{ value: unknown }>) => {
    // Scores drawn before the send, in batch order, so the data set is the same however the sends interleave.
    const scores = services.scores ? demoScoresFor(items.map((item) => item.value as DemoEvent), scoreRandom) : [];
    const answer = await ingest.ingestRequests(items, { apiKeyId: 'demo', source: 'demo' });
    if (answer.rejected > 0) throw new Error(`demo data refused: ${JSON.stringify(answer.results.find((result) => result.status === 'rejected'))}`);
    if (services.scores && scores.length > 0) {
      const scoreAnswer = await services.scores.ingestScores(scores.map((value) => ({ value })), { apiKeyId: 'demo' });
      if (scoreAnswer.rejected > 0) throw new Error(`demo scores refused: ${JSON.stringify(scoreAnswer.results.find((result) => result.status === 'rejected'))}`);
      scored += scores.length;
    }
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
  options.log(
    `\nDemo data: ${loaded.toLocaleString('en-US')} events and ${scored.toLocaleString('en-US')} evaluation scores over ${options.days ?? 30} days in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  // GPU samples run up to now, so the fleet looks live right after the load (stale once no exporter reports).
  await loadDemoFleet(services, new Date(), options);
  for (const rule of demoAlertRules) await services.alerts?.createRule(rule);
}

async function loadDemoFleet(services: DemoServices, end: Date, options: DemoOptions): Promise<void> {
  // Rates are effective-dated: the demo's nodes cost what they cost from the first day of the demo's samples.
  const ratesEffectiveFrom = new Date(Math.floor((end.getTime() - (options.days ?? 30) * 86_400_000) / 3600_000) * 3600_000);
  const existing = new Set((await services.nodes.findAll()).map((node) => node.name));
  for (const node of demoNodes) {
    if (existing.has(node.name)) continue;
    await services.nodes.create({
      name: node.name,
      kind: node.kind,
      labels: node.labels,
      // The self-hosted models the demo traffic runs on this node, so the Nodes and Routing pages show who serves what.
      routing: { location: 'on-premises', models: demoModels.filter((model) => model.node === node.name).map((model) => model.model) },
      hourlyCostUsd: node.hourlyCostUsd,
      energyPriceUsdPerKwh: '0.18',
      powerOverheadFactor: '1.3',
      notes: `${node.gpus} × ${node.gpuName} (demo)`,
      ratesEffectiveFrom,
    });
  }
  let samples: Array<{ value: unknown }> = [];
  let loaded = 0;
  const flush = async () => {
    const answer = await services.gpu.ingestSamples(samples);
    if (answer.rejected > 0) throw new Error(`demo GPU samples refused: ${JSON.stringify(answer.results.find((result) => result.status === 'rejected'))}`);
    loaded += samples.length;
    samples = [];
    options.log(`\rDemo GPU samples: ${loaded.toLocaleString('en-US')}`);
  };
  for (const sample of generateDemoGpuSamples({ end, days: options.days ?? 30, stepMinutes: 5 })) {
    samples.push({ value: sample });
    if (samples.length >= 10_000) await flush();
  }
  if (samples.length > 0) await flush();
  options.log(`\nDemo fleet: ${demoNodes.length} nodes, ${loaded.toLocaleString('en-US')} GPU samples\n`);
}
