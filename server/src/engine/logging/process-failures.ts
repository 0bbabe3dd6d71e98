import { escapeStackTrace } from './log-text';

function describeFailure(failure: unknown): string {
  if (failure instanceof Error) return escapeStackTrace(failure.stack ?? `${failure.name}: ${failure.message}`);
  return escapeStackTrace(String(failure));
}

/**
 * Every entrypoint (server, worker, CLI) logs what would otherwise vanish or kill it without a word: an unhandled
 * promise rejection is logged and the process goes on (one stray promise must not take ingest down); an uncaught
 * exception is logged and the process exits 1, since its state is no longer known.
 */
export function logProcessFailures(entrypoint: string, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  const line = (what: string, failure: unknown) => `${new Date().toISOString()} ${entrypoint} ERROR ${what}: ${describeFailure(failure)}\n`;
  process.on('unhandledRejection', (reason) => write(line('unhandled promise rejection', reason)));
  process.on('uncaughtException', (error, origin) => {
    write(line(origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception', error));
    process.exit(1);
  });
}
