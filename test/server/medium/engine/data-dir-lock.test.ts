import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/engine/config/config';
import { DataDirectoryInUseError, dataDirectoryLockFileName, lockDataDirectory } from '../../../../server/src/engine/data-dir/data-dir-lock';
import { startEngines } from '../../../../server/src/engine/engines';
import { postgresEntities } from '../../../../server/src/entities';
import { repositoryRoot, temporaryDirectory } from '../../../support/test-engines';

let compiled: string;
beforeAll(() => {
  // Another process takes the lock with the same code, compiled as it ships.
  compiled = temporaryDirectory('data-dir-lock-code');
  const source = fs.readFileSync(path.join(repositoryRoot, 'server/src/engine/data-dir/data-dir-lock.ts'), 'utf8');
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  fs.writeFileSync(path.join(compiled, 'data-dir-lock.js'), output.outputText);
});
afterAll(() => fs.rmSync(compiled, { recursive: true, force: true }));

/** A second process holding DATA_DIR, as a running `npm start` does. */
async function holderProcess(dataDir: string): Promise<ChildProcess> {
  const program = `require('./data-dir-lock.js').lockDataDirectory(${JSON.stringify(dataDir)}, 'main.js'); process.stdout.write('locked'); setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['-e', program], { cwd: compiled, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

async function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

function refusal(work: () => unknown): DataDirectoryInUseError {
  try {
    work();
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) return error;
    throw error;
  }
  throw new Error('the lock was granted');
}

describe('the DATA_DIR lock', () => {
  it('is refused while another process holds it, naming that process, and taken over once it died', async () => {
    const dataDir = temporaryDirectory('data-dir-lock');
    const holder = await holderProcess(dataDir);
    try {
      const error = refusal(() => lockDataDirectory(dataDir));
      expect(error.holder?.pid).toBe(holder.pid);
      expect(error.message).toMatch(new RegExp(`^DATA_DIR ${dataDir} is in use by process ${holder.pid} on .* \\(main\\.js, since \\d{4}-`));
      expect(error.message).toContain('stop it first');
    } finally {
      // SIGKILL: no exit handler runs, the lock file stays behind naming a dead process.
      await killed(holder, 'SIGKILL');
    }
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, dataDirectoryLockFileName), 'utf8'))).toMatchObject({ pid: holder.pid });
    const lock = lockDataDirectory(dataDir);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, dataDirectoryLockFileName), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(fs.existsSync(path.join(dataDir, dataDirectoryLockFileName))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is released when the holder stops normally, and refused twice in one process', async () => {
    const dataDir = temporaryDirectory('data-dir-lock');
    const holder = await holderProcess(dataDir);
    await killed(holder, 'SIGTERM');
    // Killed by the signal (Node runs no exit handler then): the lock names a dead process, and is taken over.
    const lock = lockDataDirectory(dataDir);
    expect(refusal(() => lockDataDirectory(dataDir)).holder?.pid).toBe(process.pid);
    lock.release();
    lockDataDirectory(dataDir).release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops startEngines on a DATA_DIR that a running server holds, before opening any store', async () => {
    const dataDir = temporaryDirectory('data-dir-lock');
    const holder = await holderProcess(dataDir);
    try {
      const starting = startEngines(loadConfig({ DATA_DIR: dataDir }), { log: () => undefined, error: () => undefined }, postgresEntities);
      await expect(starting).rejects.toThrow(DataDirectoryInUseError);
      await expect(starting).rejects.toThrow(`is in use by process ${holder.pid}`);
      expect(fs.existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'clickhouse'))).toBe(false);
    } finally {
      await killed(holder, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is taken and given back by the engines', async () => {
    const dataDir = temporaryDirectory('data-dir-lock');
    const engines = await startEngines(loadConfig({ DATA_DIR: dataDir }), { log: () => undefined, error: () => undefined }, postgresEntities);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, dataDirectoryLockFileName), 'utf8'))).toMatchObject({ pid: process.pid });
    await engines.close();
    expect(fs.existsSync(path.join(dataDir, dataDirectoryLockFileName))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});
