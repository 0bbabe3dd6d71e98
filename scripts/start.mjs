#!/usr/bin/env node
// npm start | demo | worker | prices:import | policies:apply | audit:verify — builds whatever is missing or stale, then runs the entrypoint.
// --build-only: build what is missing or stale, and stop there.
import { spawnSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from './server-node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newestModification(directories) {
  let newest = 0;
  const walk = (directory) => {
    if (!fs.existsSync(directory)) return;
    if (fs.statSync(directory).isFile()) {
      newest = Math.max(newest, fs.statSync(directory).mtimeMs);
      return;
    }
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  directories.forEach((directory) => walk(path.join(root, directory)));
  return newest;
}

function buildIfStale(name, output, sources, command) {
  const outputFile = path.join(root, output);
  const stale = !fs.existsSync(outputFile) || fs.statSync(outputFile).mtimeMs < newestModification(sources);
  if (!stale) return;
  process.stdout.write(`Building ${name}…\n`);
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Building ${name} failed (exit ${result.status}).\n`);
    process.exit(result.status ?? 1);
  }
  fs.utimesSync(outputFile, new Date(), new Date());
}

if (!fs.existsSync(path.join(root, 'node_modules'))) {
  process.stderr.write('Dependencies are not installed: run `npm ci` first.\n');
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
buildIfStale('server', 'server/dist/server/src/main.js', ['server/src', 'migrations/postgres', 'server/tsconfig.json'], [npm, 'run', 'build', '-w', 'server', '--silent']);
const cliEntries = { '--prices-import': 'cli/import-prices.js', '--policies-apply': 'cli/apply-policies.js', '--audit-verify': 'cli/verify-audit.js' };
const cli = Object.keys(cliEntries).find((flag) => args.includes(flag));
if (!args.includes('--worker') && !cli) {
  buildIfStale('console', 'web/dist/index.html', ['web/src', 'web/index.html', 'web/vite.config.ts'], [npm, 'run', 'build', '-w', 'web', '--silent']);
}

// Used by tests that start the server process themselves (to signal or kill it directly).
if (args.includes('--build-only')) process.exit(0);

const entry = args.includes('--worker') ? 'worker.js' : cli ? cliEntries[cli] : 'main.js';
const child = spawn(process.execPath, [...serverNodeFlags, '--enable-source-maps', path.join(root, 'server/dist/server/src', entry), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
