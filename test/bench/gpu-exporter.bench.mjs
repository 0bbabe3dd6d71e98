#!/usr/bin/env node
// Benchmark of warden-gpu-exporter (not part of npm test): parse + expose time per collection for an 8-GPU
// all-fields capture (the H100 row repeated as GPUs 0..7), target < 5 ms, and the exporter's RSS while
// serving. Needs the build: `npm run build -w collectors`. Run: node test/bench/gpu-exporter.bench.mjs
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixtures = path.join(root, 'test/fixtures/nvidia-smi');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'collectors/dist/gpu-exporter');
const { parseCsvTable } = require(path.join(dist, 'csv-table.js'));
const { readGpus } = require(path.join(dist, 'gpu-reading.js'));
const { ExporterMetrics } = require(path.join(dist, 'metrics-registry.js'));

const TARGET_MILLISECONDS = 5;
const GPUS = 8;

function eightGpuCapture() {
  const text = readFileSync(path.join(fixtures, 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv'), 'utf8');
  const [header, row] = text.split('\n').filter((line) => line.trim() !== '');
  const columns = header.split(', ').map((cell) => cell.replace(/\s*\[.*\]$/, ''));
  const indexAt = columns.indexOf('index');
  const uuidAt = columns.indexOf('uuid');
  const rows = [];
  for (let gpu = 0; gpu < GPUS; gpu += 1) {
    const cells = row.split(', ');
    cells[indexAt] = String(gpu);
    cells[uuidAt] = `GPU-00000000-0000-0000-0000-00000000000${gpu}`;
    rows.push(cells.join(', '));
  }
  return { text: `${header}\n${rows.join('\n')}\n`, columns: columns.length };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function parseAndExpose(capture) {
  const metrics = new ExporterMetrics('bench-node');
  const once = async () => {
    const gpus = readGpus(parseCsvTable(capture));
    metrics.update({ collectedAt: new Date(), durationSeconds: 0, failure: undefined, gpus, processes: undefined, migDevices: [], secondaryFailures: [], fieldSource: 'discovered' });
    return metrics.exposition();
  };
  for (let warm = 0; warm < 200; warm += 1) await once();
  const samples = [];
  let bytes = 0;
  for (let run = 0; run < 2000; run += 1) {
    const started = process.hrtime.bigint();
    bytes = (await once()).length;
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { mean, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: samples[samples.length - 1], bytes };
}

/** The real exporter, serving against a fake nvidia-smi that answers the 8-GPU capture; RSS after scrapes. */
async function exporterRss(capture) {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-nvidia-smi-'));
  try {
    writeFileSync(path.join(directory, 'query.csv'), capture);
    const fake = path.join(directory, 'nvidia-smi');
    writeFileSync(
      fake,
      `#!${process.execPath}\nconst fs = require('fs');\n` +
        `if (process.argv.includes('--help-query-gpu')) process.stdout.write(fs.readFileSync(${JSON.stringify(path.join(fixtures, 'txt-help-query-gpu__590.48.01__linux.txt'))}, 'utf8'));\n` +
        `else process.stdout.write(fs.readFileSync(${JSON.stringify(path.join(directory, 'query.csv'))}, 'utf8'));\n`,
    );
    chmodSync(fake, 0o755);
    const child = spawn(process.execPath, [path.join(root, 'collectors/bin/warden-gpu-exporter.js'), '--nvidia-smi', fake, '--port', '0', '--listen-address', '127.0.0.1', '--node-name', 'bench'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const port = await new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`exporter exited ${code}: ${stderr}`)));
    });
    let body = '';
    const scrapes = 50;
    const started = Date.now();
    for (let scrape = 0; scrape < scrapes; scrape += 1) body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const scrapeMilliseconds = (Date.now() - started) / scrapes;
    const rss = Number(/^warden_gpu_exporter_resident_memory_bytes\{[^}]*\} (\S+)$/m.exec(body)?.[1]);
    const series = body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    child.kill('SIGTERM');
    return { rss, scrapes, scrapeMilliseconds, series };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const capture = eightGpuCapture();
const timing = await parseAndExpose(capture.text);
const serving = await exporterRss(capture.text);
const mib = (bytes) => (bytes / 1048576).toFixed(1);
console.log(`warden-gpu-exporter benchmark (node ${process.version})`);
console.log(`  capture: ${GPUS} GPUs x ${capture.columns} fields (H100 all-fields row repeated)`);
console.log(`  parse + expose per collection: mean ${timing.mean.toFixed(3)} ms, p50 ${timing.p50.toFixed(3)} ms, p99 ${timing.p99.toFixed(3)} ms, max ${timing.max.toFixed(3)} ms (target < ${TARGET_MILLISECONDS} ms) -> ${timing.p99 < TARGET_MILLISECONDS ? 'OK' : 'OVER TARGET'}`);
console.log(`  exposition size: ${timing.bytes} bytes`);
console.log(`  serving exporter: RSS ${mib(serving.rss)} MiB after ${serving.scrapes} scrapes, ${serving.series} series, ${serving.scrapeMilliseconds.toFixed(1)} ms per scrape (incl. fake nvidia-smi process start)`);
console.log(`  bench process RSS: ${mib(process.memoryUsage.rss())} MiB`);
