/** Runs the real exporter in-process against a fake nvidia-smi and captures its exposition and log. */
import { collectOnce, createExporter } from '../../../collectors/src/gpu-exporter/main';
import { parseCommandLine } from '../../../collectors/src/gpu-exporter/command-line';
import { createFakeNvidiaSmi, type FakeScenario } from './fake-nvidia-smi';

export interface ExporterRun {
  readonly exposition: string;
  readonly exitCode: number;
  readonly log: string[];
  readonly invocations: string[][];
}

export async function runExporterOnce(scenario: FakeScenario, extraFlags: string[] = []): Promise<ExporterRun> {
  const fake = createFakeNvidiaSmi(scenario);
  try {
    const parsed = parseCommandLine(['--once', '--nvidia-smi', fake.path, '--node-name', 'test-node', ...extraFlags], {});
    if (!parsed.ok) throw new Error(parsed.error);
    const log: string[] = [];
    const exporter = createExporter(parsed.options, (line) => log.push(line));
    const { exposition, exitCode } = await collectOnce(exporter);
    return { exposition, exitCode, log, invocations: fake.invocations() };
  } finally {
    fake.cleanup();
  }
}

/** The one value that differs run to run; pinned so expositions compare with golden files. */
export function normalizeExposition(exposition: string): string {
  return exposition.replace(/^(warden_gpu_exporter_scrape_duration_seconds(?:\{[^}]*\})?) \S+$/m, '$1 0');
}

/** Sample value by metric name and label subset, from an exposition. */
export function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export function seriesCount(exposition: string, name: string): number {
  return exposition.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).length;
}
