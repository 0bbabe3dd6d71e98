/** The built warden-node-agent bin as a child process, as an operator runs it. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
let agentBin: string | undefined;

/**
 * Builds the collectors with tsc (always: a stale dist would test yesterday's agent) into a directory of this
 * test file's own, laid out like collectors/ (bin/ beside dist/) with the real bin copied in. Other test files
 * rebuild collectors/dist while this one runs; a shared dist could be read half-written.
 * Returns the cleanup.
 */
export function buildAgent(): () => void {
  const directory = mkdtempSync(path.join(tmpdir(), 'warden-node-agent-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'collectors/tsconfig.json'), '--outDir', path.join(directory, 'dist')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`collectors build failed:\n${build.stdout}${build.stderr}`);
  mkdirSync(path.join(directory, 'bin'));
  agentBin = path.join(directory, 'bin/warden-node-agent.js');
  copyFileSync(path.join(ROOT, 'collectors/bin/warden-node-agent.js'), agentBin);
  return () => rmSync(directory, { recursive: true, force: true });
}

function bin(): string {
  if (agentBin === undefined) throw new Error('call buildAgent() first (in beforeAll)');
  return agentBin;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runAgent(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin(), ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningAgent {
  readonly child: ChildProcess;
  log(): string;
  /** Resolves when the log has matched the pattern (rejects after the timeout, with the log so far). */
  waitForLog(pattern: RegExp, timeoutMilliseconds?: number): Promise<RegExpExecArray>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startAgent(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningAgent {
  const child = spawn(process.execPath, [bin(), ...args], { env: { PATH: process.env.PATH, ...env } });
  let log = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return {
    child,
    log: () => log,
    waitForLog: (pattern, timeoutMilliseconds = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = (): void => {
          const match = pattern.exec(log);
          if (match) return resolve(match);
          if (child.exitCode !== null) return reject(new Error(`agent exited ${child.exitCode} before ${pattern}:\n${log}`));
          if (Date.now() - started > timeoutMilliseconds) return reject(new Error(`no ${pattern} in the agent's log after ${timeoutMilliseconds} ms:\n${log}`));
          setTimeout(poll, 20);
        };
        poll();
      }),
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** Polls until the condition holds; rejects after the timeout with the description. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMilliseconds = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMilliseconds) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
