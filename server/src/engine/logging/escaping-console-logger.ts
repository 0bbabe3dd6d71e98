import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { escapeLogText, escapeStackTrace } from './log-text';

/**
 * Nest's console logger with every message escaped, so no log line can carry user text that starts another line.
 * Installed by every entrypoint, it covers each `new Logger(...)` in the code without each call site remembering.
 */
export class EscapingConsoleLogger extends ConsoleLogger {
  constructor(logLevels?: LogLevel[]) {
    super({ logLevels });
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    const resolved = this.resolveMessage(message);
    if (typeof resolved === 'string') return this.colorize(escapeLogText(resolved), logLevel);
    // util.inspect escapes the strings inside objects; an Error's stack it prints as it is.
    if (resolved instanceof Error) return escapeStackTrace(resolved.stack ?? `${resolved.name}: ${resolved.message}`);
    return super.stringifyMessage(resolved, logLevel);
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(stack ? escapeStackTrace(stack) : stack);
  }
}
