/**
 * A fake nvidia-smi: a small node script in a temp directory that answers each kind of invocation with a
 * real capture from test/fixtures/nvidia-smi and that capture's exit status. It logs every invocation to
 * a file so tests can count runs. The exporter under test runs it as a real child process.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/nvidia-smi');

export const fixture = (name: string): string => path.join(FIXTURES, name);

export interface FakeResponse {
  /** Capture file name in test/fixtures/nvidia-smi (or an absolute path). */
  readonly file: string;
  readonly exitCode?: number;
  /** Where the text goes; nvidia-smi prints some errors on stdout only, some on both streams. */
  readonly stream?: 'stdout' | 'stderr' | 'both';
  /**
   * For --query-gpu with an all-fields capture: answer only the asked fields, in the asked order, as
   * nvidia-smi does; an asked field the capture lacks is refused like nvidia-smi refuses it (exit 2).
   */
  readonly project?: boolean;
  /** Sleep before answering (concurrency tests), or never answer (timeout tests). */
  readonly delayMilliseconds?: number;
  readonly hang?: boolean;
}

export interface FakeScenario {
  readonly helpQueryGpu?: FakeResponse;
  readonly queryGpu?: FakeResponse;
  readonly queryComputeApps?: FakeResponse;
  readonly list?: FakeResponse;
  /** Answer for every invocation (error captures: a broken driver breaks every command). */
  readonly all?: FakeResponse;
}

export interface FakeNvidiaSmi {
  readonly path: string;
  readonly directory: string;
  /** Argument lists of every run so far. */
  invocations(): string[][];
  /** Process ids of every run so far. */
  pids(): number[];
  cleanup(): void;
}

const SCRIPT = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const here = __dirname;
const scenario = JSON.parse(fs.readFileSync(path.join(here, 'scenario.json'), 'utf8'));
const args = process.argv.slice(2);
fs.appendFileSync(path.join(here, 'invocations.log'), JSON.stringify(args) + '\n');
fs.appendFileSync(path.join(here, 'pids.log'), process.pid + '\n');

function kind() {
  if (args.includes('--help-query-gpu')) return 'helpQueryGpu';
  if (args.some((a) => a.startsWith('--query-gpu='))) return 'queryGpu';
  if (args.some((a) => a.startsWith('--query-compute-apps='))) return 'queryComputeApps';
  if (args.includes('-L') || args.includes('--list-gpus')) return 'list';
  return 'other';
}

function project(text, asked) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((c) => c.trim());
  const names = header.map((c) => c.replace(/\s*\[[^\]]*\]$/, ''));
  const rows = lines.slice(1).map((l) => l.split(',').map((c) => c.trim()));
  const positions = [];
  for (const field of asked) {
    const at = names.indexOf(field);
    if (at < 0) return { refused: field };
    positions.push(at);
  }
  const out = [positions.map((p) => header[p]).join(', ')];
  for (const row of rows) out.push(positions.map((p) => row[p]).join(', '));
  return { text: out.join('\n') + '\n' };
}

function answer(response) {
  let text = fs.readFileSync(response.file, 'utf8');
  let exitCode = response.exitCode || 0;
  if (response.project) {
    const asked = args.find((a) => a.startsWith('--query-gpu=')).slice('--query-gpu='.length).split(',');
    const projected = project(text, asked);
    if (projected.refused) {
      process.stdout.write('Field "' + projected.refused + '" is not a valid field to query.\n\n');
      process.exit(2);
    }
    text = projected.text;
  }
  const stream = response.stream || 'stdout';
  if (stream === 'stdout' || stream === 'both') process.stdout.write(text);
  if (stream === 'stderr' || stream === 'both') process.stderr.write(text);
  process.exitCode = exitCode;
}

const response = scenario.all || scenario[kind()];
if (!response) {
  process.stdout.write('fake nvidia-smi: no capture for ' + JSON.stringify(args) + '\n');
  process.exit(2);
}
if (response.hang) setInterval(() => {}, 1000);
else if (response.delayMilliseconds) setTimeout(() => answer(response), response.delayMilliseconds);
else answer(response);
`;

function resolveFile(response: FakeResponse | undefined): FakeResponse | undefined {
  if (response === undefined) return undefined;
  const file = path.isAbsolute(response.file) ? response.file : fixture(response.file);
  if (!existsSync(file)) throw new Error(`capture not found: ${file} `);
  return { ...response, file };
}

export function createFakeNvidiaSmi(scenario: FakeScenario): FakeNvidiaSmi {
  const directory = mkdtempSync(path.join(tmpdir(), 'fake-nvidia-smi-'));
  const resolved: FakeScenario = {
    helpQueryGpu: resolveFile(scenario.helpQueryGpu),
    queryGpu: resolveFile(scenario.queryGpu),
    queryComputeApps: resolveFile(scenario.queryComputeApps),
    list: resolveFile(scenario.list),
    all: resolveFile(scenario.all),
  };
  writeFileSync(path.join(directory, 'scenario.json'), JSON.stringify(resolved));
  const scriptPath = path.join(directory, 'nvidia-smi');
  writeFileSync(scriptPath, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(scriptPath, 0o755);
  writeFileSync(path.join(directory, 'invocations.log'), '');
  writeFileSync(path.join(directory, 'pids.log'), '');
  return {
    path: scriptPath,
    directory,
    invocations: () =>
      readFileSync(path.join(directory, 'invocations.log'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]),
    pids: () =>
      readFileSync(path.join(directory, 'pids.log'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map(Number),
    cleanup: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The usual healthy machine: 590 field catalogue, one all-fields capture answered field by field. */
export function healthyScenario(queryGpuCapture: string, extra: Partial<FakeScenario> = {}): FakeScenario {
  return {
    helpQueryGpu: { file: 'txt-help-query-gpu__590.48.01__linux.txt' },
    queryGpu: { file: queryGpuCapture, project: true },
    ...extra,
  };
}
