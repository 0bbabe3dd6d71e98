/**
 * Runs nvidia-smi. A wedged driver can make nvidia-smi hang for minutes, so every run has a deadline after
 * which its whole process group is killed: a scrape must answer, even if the answer is "up 0".
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  readonly spawnErrorCode: string | undefined;
  readonly durationSeconds: number;
}

export interface RunnerOptions {
  readonly executable: string;
  readonly timeoutMilliseconds: number;
}

export class NvidiaSmiRunner {
  constructor(private readonly options: RunnerOptions) {}

  get executable(): string {
    return this.options.executable;
  }

  run(args: readonly string[]): Promise<RunResult> {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    return new Promise<RunResult>((resolve) => {
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const finish = (result: Omit<RunResult, 'stdout' | 'stderr' | 'durationSeconds'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          ...result,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          durationSeconds: elapsed(),
        });
      };

      // Own process group, so the deadline also kills anything nvidia-smi (or a wrapper script) started.
      const child = spawn(this.options.executable, [...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        env: { ...process.env, LC_ALL: 'C' },
      });
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

      const timer = setTimeout(() => {
        killGroup(child.pid);
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ exitCode: null, signal: 'SIGKILL', timedOut: true, spawnErrorCode: undefined });
      }, this.options.timeoutMilliseconds);

      child.on('error', (error: NodeJS.ErrnoException) => {
        finish({ exitCode: null, signal: null, timedOut: false, spawnErrorCode: error.code ?? 'UNKNOWN' });
      });
      child.on('close', (exitCode, signal) => {
        finish({ exitCode, signal, timedOut: false, spawnErrorCode: undefined });
      });
    });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left to kill.
  }
}
