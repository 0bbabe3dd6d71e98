import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { ConfigError, loadConfig } from '../engine/config/config';
import { DataDirectoryInUseError } from '../engine/data-dir/data-dir-lock';
import { startEngines } from '../engine/engines';
import { EscapingConsoleLogger } from '../engine/logging/escaping-console-logger';
import { escapeLogText } from '../engine/logging/log-text';
import { logProcessFailures } from '../engine/logging/process-failures';
import { PoliciesService, type PolicyFile, type PolicyFilesReport } from '../modules/policies/policies.service';
import { postgresEntities } from '../entities';

const usage = 'usage: npm run policies:apply -- FILE_OR_DIRECTORY... [--dry-run] [--prune]';
const POLICY_FILE = /\.(json|ya?ml)$/i;

/** Policy files under a path: the file itself, or every .json/.yaml/.yml below a directory (dot folders skipped). */
function policyFilesUnder(target: string): string[] {
  if (fs.statSync(target).isFile()) return [target];
  const found: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) found.push(...policyFilesUnder(full));
    else if (entry.isFile() && POLICY_FILE.test(entry.name)) found.push(full);
  }
  return found.sort();
}

/** Relative to the caller's directory when below it, absolute otherwise. */
function shownPath(base: string, file: string): string {
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function describeReport(report: PolicyFilesReport, dryRun: boolean): string[] {
  const lines: string[] = [];
  for (const outcome of report.files) {
    const where = escapeLogText(outcome.path);
    if (outcome.action === 'invalid') {
      lines.push(`invalid    ${where}`);
      for (const problem of outcome.problems) lines.push(`           ${escapeLogText(problem.field ? `${problem.field}: ${problem.message}` : problem.message)}`);
    } else {
      lines.push(`${outcome.action.padEnd(10)} ${escapeLogText(outcome.name)} v${outcome.version}  (${where})`);
    }
  }
  for (const deleted of report.deleted) lines.push(`${dryRun ? 'to delete' : 'deleted'}    ${escapeLogText(deleted.name)} v${deleted.version}  (no file names it)`);
  return lines;
}

/**
 * `npm run policies:apply -- FILE_OR_DIRECTORY`: policy files (JSON or YAML) as the source of truth. Each file is
 * validated (every bad field named), then written as a new version where it changed. Exit 1 when any file is
 * invalid (the valid ones are still applied), 2 on a usage error.
 */
async function applyPolicies(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--policies-apply');
  const dryRun = args.includes('--dry-run');
  const prune = args.includes('--prune');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--dry-run' && arg !== '--prune');
  // npm runs scripts from the repository root; a relative path means the caller's directory.
  const base = process.env.INIT_CWD ?? process.cwd();
  const targets = args.filter((arg) => !arg.startsWith('--')).map((arg) => path.resolve(base, arg));
  if (targets.length === 0 || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown.join(', ')}\n` : ''}${usage}\n`);
    return 2;
  }
  const missing = targets.filter((target) => !fs.existsSync(target));
  if (missing.length > 0) {
    process.stderr.write(`No such file or directory: ${missing.join(', ')}\n`);
    return 2;
  }
  const files: PolicyFile[] = targets.flatMap(policyFilesUnder).map((file) => ({ path: shownPath(base, file), text: fs.readFileSync(file, 'utf8') }));
  if (files.length === 0) {
    process.stderr.write(`No policy files (.json, .yaml, .yml) under ${targets.join(', ')}\n`);
    return 2;
  }
  const config = loadConfig();
  const engines = await startEngines(config, { log: () => undefined, error: (line) => process.stderr.write(`${line}\n`) }, postgresEntities);
  const app = await NestFactory.createApplicationContext(AppModule.forWorker(engines), { logger: new EscapingConsoleLogger(['error', 'warn']) });
  try {
    await app.init();
    const report = await app.get(PoliciesService).applyFiles(files, 'cli', { dryRun, prune });
    for (const line of describeReport(report, dryRun)) process.stdout.write(`${line}\n`);
    const invalid = report.files.filter((outcome) => outcome.action === 'invalid').length;
    const changed = report.files.filter((outcome) => outcome.action === 'created' || outcome.action === 'updated').length;
    process.stdout.write(
      `${dryRun ? 'Dry run: ' : ''}${files.length} file(s): ${changed} ${dryRun ? 'to write' : 'written'}, ${files.length - changed - invalid} unchanged, ${invalid} invalid` +
        (prune ? `, ${report.deleted.length} ${dryRun ? 'to delete' : 'deleted'}` : '') +
        (prune && invalid > 0 ? ' (nothing pruned while a file is invalid)' : '') +
        '\n',
    );
    return invalid > 0 ? 1 : 0;
  } finally {
    await app.close();
    await engines.close();
  }
}

logProcessFailures('warden-policies-apply');
applyPolicies()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DataDirectoryInUseError) {
      const who = error.holder ? `process ${error.holder.pid} on ${error.holder.hostname} (${error.holder.command})` : 'another process';
      process.stderr.write(
        `DATA_DIR ${error.directory} is in use by ${who}; its embedded stores belong to that process. Stop it first, or apply ` +
          'through it: PUT /api/v1/policies/{name} with an admin-scoped API key (see README), or the console\'s Policies page.\n',
      );
    } else {
      process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Applying policies failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(1);
  });
