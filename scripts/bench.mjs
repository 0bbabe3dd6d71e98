#!/usr/bin/env node
// npm run bench: builds, then runs every test/bench/*.bench.mjs in turn (one at a time: they measure the machine).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('npm', ['run', 'build', '-w', 'server', '-w', 'collectors', '--silent']);
const benches = fs
  .readdirSync(path.join(root, 'test/bench'))
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
for (const file of benches) {
  process.stdout.write(`\n## ${file}\n`);
  run(process.execPath, [path.join('test/bench', file)]);
}
