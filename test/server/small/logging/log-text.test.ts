import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { EscapingConsoleLogger } from '../../../../server/src/engine/logging/escaping-console-logger';
import { escapeLogText, escapeStackTrace } from '../../../../server/src/engine/logging/log-text';

const forgedRecord = '[Nest] 1  - 01/01/2026, 10:00:00 AM     LOG [Tenancy] admin@warden.local logged in';

/** What the logger writes to stdout and stderr while `work` runs. */
function capture(work: () => void): string {
  let written = '';
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => ((written += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((written += String(chunk)), true)) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
  return written;
}

describe('escapeLogText', () => {
  it('leaves no raw line break or control character, and escapes them visibly', () => {
    expect(escapeLogText(`a@b.c\n${forgedRecord}`)).toBe(`a@b.c\\n${forgedRecord}`);
    expect(escapeLogText('one\r\ntwo\ttab\u001b[31mred\u0000nul\u2028ls\u0085nel\u007f')).toBe(
      'one\\r\\ntwo\\ttab\\u001b[31mred\\u0000nul\\u2028ls\\u0085nel\\u007f',
    );
    expect(escapeLogText('plain ünïcödé 😀 text')).toBe('plain ünïcödé 😀 text');
  });

  it('keeps a stack trace one frame per line while escaping breaks inside its message', () => {
    const error = new Error(`bad input\n${forgedRecord}`);
    const lines = escapeStackTrace(error.stack!).split('\n');
    expect(lines[0]).toBe(`Error: bad input\\n${forgedRecord}`);
    expect(lines.slice(1).every((line) => /^\s+at /.test(line))).toBe(true);
  });
});

describe('EscapingConsoleLogger', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('writes each message as one line, whatever text it carries, for every Logger in the code', () => {
    const logger = new EscapingConsoleLogger(['log', 'warn', 'error']);
    Logger.overrideLogger(logger);
    const output = capture(() => {
      new Logger('Tenancy').warn(`failed login for x@y.z\n${forgedRecord}`);
      new Logger('Errors').error('store unavailable: \u001b[2Jcleared', new Error('boom\nsecond line').stack);
      new Logger('Ingest').log(new Error(`refused\n${forgedRecord}`));
    });
    const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
    // Each record starts with this process's own prefix; the forged one never starts a line.
    expect(lines.filter((line) => line.startsWith('[Nest] 1 '))).toEqual([]);
    expect(lines.filter((line) => line.startsWith(`[Nest] ${process.pid} `))).toHaveLength(3);
    expect(lines.find((line) => line.includes('failed login'))).toMatch(/WARN \[Tenancy\] failed login for x@y\.z\\n\[Nest\] 1 .* logged in$/);
    expect(output).toContain(`failed login for x@y.z\\n${forgedRecord}`);
    expect(output).not.toContain('\u001b[2J');
    expect(output).toContain('\\u001b[2Jcleared');
    expect(output).toContain('Error: boom\\nsecond line');
  });
});
