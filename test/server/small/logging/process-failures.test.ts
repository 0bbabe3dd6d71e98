import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, temporaryDirectory } from '../../../support/test-engines';

// The handlers act on a whole process, so they run in a child: the two files compiled as they ship (CommonJS).
let directory: string;
beforeAll(() => {
  directory = temporaryDirectory('process-failures');
  for (const name of ['log-text', 'process-failures']) {
    const source = fs.readFileSync(path.join(repositoryRoot, `server/src/engine/logging/${name}.ts`), 'utf8');
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(directory, `${name}.js`), output.outputText);
  }
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function run(script: string) {
  const program = `const { logProcessFailures } = require('./process-failures.js'); logProcessFailures('warden-test'); ${script}`;
  return spawnSync(process.execPath, ['-e', program], { cwd: directory, encoding: 'utf8', timeout: 20_000 });
}

describe('logProcessFailures', () => {
  it('logs an unhandled rejection, escaped, and keeps the process running', () => {
    const result = run(`Promise.reject(new Error('lost\\nforged line')); setTimeout(() => { process.stdout.write('still running'); }, 50);`);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('still running');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z warden-test ERROR unhandled promise rejection: Error: lost\\nforged line$/);
    expect(lines.slice(1).every((line) => /^\s+at /.test(line))).toBe(true);
  });

  it('logs a rejection with a non-error reason', () => {
    const result = run(`Promise.reject('plain reason');`);
    expect(result.stderr).toMatch(/warden-test ERROR unhandled promise rejection: plain reason\n$/);
  });

  it('logs an uncaught exception and exits 1', () => {
    const result = run(`setTimeout(() => { throw new TypeError('broken state'); }, 10); setTimeout(() => process.stdout.write('should not run'), 500);`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/warden-test ERROR uncaught exception: TypeError: broken state\n/);
  });
});

describe('every entrypoint', () => {
  it('installs the failure logging and the escaping logger', () => {
    for (const entrypoint of ['server/src/main.ts', 'server/src/worker.ts', 'server/src/cli/import-prices.ts']) {
      const source = fs.readFileSync(path.join(repositoryRoot, entrypoint), 'utf8');
      expect(source, entrypoint).toMatch(/^logProcessFailures\('[a-z-]+'\);$/m);
    }
    for (const entrypoint of ['server/src/http-app.ts', 'server/src/worker.ts', 'server/src/cli/import-prices.ts']) {
      expect(fs.readFileSync(path.join(repositoryRoot, entrypoint), 'utf8'), entrypoint).toContain('new EscapingConsoleLogger(');
    }
  });
});
