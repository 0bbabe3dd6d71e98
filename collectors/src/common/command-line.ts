/**
 * Command-line parsing shared by warden-gpu-exporter and warden-node-agent. Each tool declares its flags and
 * turns the raw values into its own options; this module splits the arguments and checks the value shapes the
 * two have in common. Messages name the flag, because they are printed as they are before the process exits 2.
 */

export type FlagKind = 'value' | 'switch';

/** A mistake on the command line; its message is shown to the user. */
export class UsageError extends Error {}

export interface SplitArguments {
  /** The last value of each value flag given, by flag (`--port 80` and `--port=80` alike). */
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
}

/** Splits argv into flag values and switches; throws UsageError for anything `flags` does not declare. */
export function splitArguments(argv: readonly string[], flags: Readonly<Record<string, FlagKind>>): SplitArguments {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let position = 0; position < argv.length; position += 1) {
    const argument = argv[position] as string;
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const kind = flags[flag];
    if (kind === undefined) {
      throw new UsageError(argument.startsWith('-') ? `unknown flag ${flag}` : `unexpected argument ${JSON.stringify(argument)}`);
    }
    if (kind === 'switch') {
      if (equals > 0) throw new UsageError(`${flag} takes no value`);
      switches.add(flag);
      continue;
    }
    let value: string | undefined;
    if (equals > 0) value = argument.slice(equals + 1);
    else {
      value = argv[position + 1];
      position += 1;
    }
    if (value === undefined || (equals < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
  }
  return { values, switches };
}

export function positiveSeconds(flag: string, raw: string): number {
  const seconds = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  }
  return seconds;
}

export function positiveInteger(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function absoluteHttpUrl(flag: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return url;
}
