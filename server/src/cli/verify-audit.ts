import 'reflect-metadata';
import { ConfigError, loadConfig } from '../engine/config/config';
import { DataDirectoryInUseError } from '../engine/data-dir/data-dir-lock';
import { startEngines } from '../engine/engines';
import { logProcessFailures } from '../engine/logging/process-failures';
import { postgresEntities } from '../entities';
import { systemActor } from '../modules/audit/audit-actor';
import { AuditRepository } from '../modules/audit/audit.repository';
import { AuditService, type AuditChainVerification } from '../modules/audit/audit.service';

const usage = 'usage: npm run audit:verify [-- --json]';
/** Progress at most this often: a long log prints a line a second, not one per page. */
const PROGRESS_INTERVAL_MS = 1000;

function describeResult(result: AuditChainVerification): string {
  if (result.valid) return `Audit chain valid: ${result.checkedRows} row(s) verified, every hash recomputed and linked (${result.verifiedAt.toISOString()}).\n`;
  return (
    `Audit chain BROKEN at sequence ${result.firstBrokenSequence}${result.firstBrokenId ? ` (id ${result.firstBrokenId})` : ''}: ${result.reason}\n` +
    `${result.checkedRows} row(s) before it verified.\n`
  );
}

/**
 * `npm run audit:verify`: walks the whole audit chain (in pages: bounded memory) and names the first broken row.
 * Exit 0 when the chain is valid, 1 when it is broken, 2 when it could not be checked (usage, store unreachable).
 * The check itself is recorded in the log (audit.verify, actor system), as a verification through GraphQL is.
 */
async function verifyAudit(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--audit-verify');
  const json = args.includes('--json');
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown.join(', ')}\n${usage}\n`);
    return 2;
  }
  const config = loadConfig();
  const engines = await startEngines(config, { log: () => undefined, error: (line) => process.stderr.write(`${line}\n`) }, postgresEntities);
  try {
    const audit = new AuditService(new AuditRepository(engines.postgres));
    let lastProgress = Date.now();
    const onProgress = (checked: number, total: number) => {
      if (json || Date.now() - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = Date.now();
      process.stdout.write(`Verified ${checked} of ${total} row(s)…\n`);
    };
    if (!json) process.stdout.write('Verifying the audit chain…\n');
    const result = await audit.verifyAndRecord(systemActor, { onProgress });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : describeResult(result));
    return result.valid ? 0 : 1;
  } finally {
    await engines.close();
  }
}

logProcessFailures('warden-audit-verify');
verifyAudit()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DataDirectoryInUseError) {
      process.stderr.write(
        `DATA_DIR ${error.directory} is in use by a running Warden server; its embedded stores belong to that process. ` +
          'Verify through it instead: the verifyAuditChain query (README, "Audit log"), or the console\'s Audit log page.\n',
      );
    } else {
      process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Verifying the audit chain failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(2);
  });
