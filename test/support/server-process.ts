import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from './test-engines';

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and waits for the process to end; resolves with its exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let built = false;

/**
 * The built server process itself (`node server/dist/.../main.js`, as the container image runs it), so a test can
 * signal or kill -9 exactly the process that holds the stores. Builds what is missing first, like `npm start`.
 */
export async function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  if (!built) {
    const build = spawnSync(process.execPath, [path.join(repositoryRoot, 'scripts/start.mjs'), '--build-only'], { cwd: repositoryRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the server failed:\n${build.stdout}${build.stderr}`);
    built = true;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ...environment };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'CLICKHOUSE_URL']) if (!(name in environment)) delete env[name];
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(repositoryRoot, 'server/dist/server/src/main.js')], { cwd: repositoryRoot, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const plain = () => output.replace(/\x1b\[[0-9;]*m/g, '');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 120_000;
  const ready = /Warden console at http:\/\/localhost:(\d+)\//;
  while (!ready.test(plain())) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${plain()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not come up in time:\n${plain()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl: `http://127.0.0.1:${ready.exec(plain())![1]}`,
    child,
    output: plain,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
