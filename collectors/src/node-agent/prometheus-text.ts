/**
 * Parser of the Prometheus text exposition format (0.0.4), with the OpenMetrics additions engines emit:
 * `# EOF`, exemplars after ` # `, and Prometheus 3's quoted UTF-8 names (`{"name", label="v"}`).
 *
 * A line that does not parse is recorded with its number and the reason, and the rest is kept: an agent
 * that drops a whole scrape for one odd line reports nothing, while a named bad line is something to fix.
 * A line cut short (a truncated body) fails to parse and is recorded the same way, never half-read.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram' | 'unknown';

const METRIC_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram', 'unknown']);

export interface Sample {
  /** The sample's own name: `x_bucket`, `x_sum`, `x_total`, … */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMilliseconds?: number;
}

export interface MetricFamily {
  readonly name: string;
  type: MetricType;
  help: string | undefined;
  readonly samples: Sample[];
}

export interface InvalidLine {
  readonly lineNumber: number;
  readonly line: string;
  readonly reason: string;
}

export interface Exposition {
  /** By family name, in order of first appearance. */
  readonly families: ReadonlyMap<string, MetricFamily>;
  readonly invalidLines: readonly InvalidLine[];
}

class LineError extends Error {}

/** Suffixes a sample may carry beyond its family's name, and the family types they belong to. */
const SUFFIX_TYPES: readonly (readonly [string, readonly MetricType[]])[] = [
  ['_bucket', ['histogram', 'gaugehistogram']],
  ['_sum', ['histogram', 'summary']],
  ['_count', ['histogram', 'summary']],
  ['_gsum', ['gaugehistogram']],
  ['_gcount', ['gaugehistogram']],
  ['_created', ['counter', 'histogram', 'summary']],
  ['_total', ['counter']],
  ['_info', ['info']],
];

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d+(?:\.\d+)?$/;

export function parseValue(text: string): number | undefined {
  if (FLOAT.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Reads a line character by character; every read method throws LineError at a malformed spot. */
class LineScanner {
  position = 0;

  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.position);
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }

  expect(character: string): void {
    if (this.peek() !== character) {
      throw new LineError(this.done ? `line ends where ${JSON.stringify(character)} was expected` : `expected ${JSON.stringify(character)} at column ${this.position + 1}`);
    }
    this.position += 1;
  }

  match(pattern: RegExp, what: string): string {
    const found = pattern.exec(this.text.slice(this.position));
    if (found === null) throw new LineError(`expected ${what} at column ${this.position + 1}`);
    this.position += found[0].length;
    return found[0];
  }

  /** A double-quoted string; `\\`, `\"` and `\n` are the only escapes the format has. */
  quoted(): string {
    this.expect('"');
    let value = '';
    for (;;) {
      if (this.done) throw new LineError('unterminated quoted string (line cut short?)');
      const character = this.text.charAt(this.position);
      this.position += 1;
      if (character === '"') return value;
      if (character !== '\\') {
        value += character;
        continue;
      }
      const escaped = this.text.charAt(this.position);
      this.position += 1;
      if (escaped === '\\') value += '\\';
      else if (escaped === '"') value += '"';
      else if (escaped === 'n') value += '\n';
      else throw new LineError(`invalid escape \\${escaped} in a quoted string`);
    }
  }

  /** The next run of non-space characters. */
  token(): string {
    const start = this.position;
    while (!this.done && this.peek() !== ' ' && this.peek() !== '\t') this.position += 1;
    return this.text.slice(start, this.position);
  }
}

interface ParsedSampleLine {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestampMilliseconds?: number;
}

function parseSampleLine(line: string): ParsedSampleLine {
  const scanner = new LineScanner(line);
  let name: string | undefined;
  if (scanner.peek() !== '{') name = scanner.match(LEGACY_NAME, 'a metric name');
  // Where the space before the value must be: after the name, or after the label set if there is one.
  let valueSeparator = scanner.position;
  scanner.skipSpaces();
  const labels: Record<string, string> = {};
  if (scanner.peek() === '{') {
    scanner.position += 1;
    for (;;) {
      scanner.skipSpaces();
      if (scanner.peek() === '}') {
        scanner.position += 1;
        valueSeparator = scanner.position;
        break;
      }
      const quotedKey = scanner.peek() === '"';
      const key = quotedKey ? scanner.quoted() : scanner.match(LABEL_NAME, 'a label name');
      scanner.skipSpaces();
      if (quotedKey && name === undefined && (scanner.peek() === ',' || scanner.peek() === '}')) {
        // Prometheus 3: a quoted string standing alone inside the braces is the metric's name.
        name = key;
      } else {
        scanner.expect('=');
        scanner.skipSpaces();
        if (Object.prototype.hasOwnProperty.call(labels, key)) throw new LineError(`label ${key} appears twice`);
        labels[key] = scanner.quoted();
        scanner.skipSpaces();
      }
      if (scanner.peek() === ',') {
        scanner.position += 1;
        continue;
      }
      scanner.skipSpaces();
      if (scanner.peek() !== '}') throw new LineError(scanner.done ? 'label set not closed (line cut short?)' : `expected "," or "}" at column ${scanner.position + 1}`);
    }
  }
  if (name === undefined || name === '') throw new LineError('sample without a metric name');
  const separator = scanner.text.charAt(valueSeparator);
  if (separator !== ' ' && separator !== '\t') {
    throw new LineError(valueSeparator >= scanner.text.length ? 'sample without a value (line cut short?)' : `expected a space before the value at column ${valueSeparator + 1}`);
  }
  scanner.skipSpaces();
  const valueText = scanner.token();
  const value = parseValue(valueText);
  if (value === undefined) throw new LineError(`${JSON.stringify(valueText)} is not a number`);
  scanner.skipSpaces();
  let timestampMilliseconds: number | undefined;
  if (!scanner.done && scanner.peek() !== '#') {
    const timestampText = scanner.token();
    if (!TIMESTAMP.test(timestampText)) throw new LineError(`${JSON.stringify(timestampText)} is not a timestamp`);
    timestampMilliseconds = Number(timestampText);
    scanner.skipSpaces();
  }
  // OpenMetrics exemplar (` # {trace_id="…"} 1.0`): metadata about one observation, not a sample.
  if (!scanner.done && scanner.peek() !== '#') throw new LineError(`unexpected text after the value at column ${scanner.position + 1}`);
  return { name, labels, value, ...(timestampMilliseconds === undefined ? {} : { timestampMilliseconds }) };
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_whole, escaped: string) => (escaped === 'n' ? '\n' : '\\'));
}

function metadataName(rest: string): { name: string; remainder: string } {
  const scanner = new LineScanner(rest);
  const name = scanner.peek() === '"' ? scanner.quoted() : scanner.match(LEGACY_NAME, 'a metric name');
  const remainder = scanner.text.slice(scanner.position);
  if (remainder !== '' && !/^[ \t]/.test(remainder)) throw new LineError(`expected a space after the metric name at column ${scanner.position + 1}`);
  return { name, remainder: remainder.replace(/^[ \t]+/, '') };
}

export function parsePrometheusText(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const invalidLines: InvalidLine[] = [];

  const declared = (name: string): MetricFamily => {
    let family = families.get(name);
    if (family === undefined) {
      family = { name, type: 'untyped', help: undefined, samples: [] };
      families.set(name, family);
    }
    return family;
  };

  const familyOf = (sampleName: string): MetricFamily => {
    const exact = families.get(sampleName);
    if (exact !== undefined && exact.type !== 'histogram' && exact.type !== 'gaugehistogram') return exact;
    for (const [suffix, types] of SUFFIX_TYPES) {
      if (!sampleName.endsWith(suffix)) continue;
      const family = families.get(sampleName.slice(0, -suffix.length));
      if (family !== undefined && types.includes(family.type)) return family;
    }
    return exact ?? declared(sampleName);
  };

  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] as string).replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    try {
      // The format ends every line with \n; a last line without one may be cut mid-number ("998.0" → "99").
      if (index === lines.length - 1) throw new LineError('the last line has no line feed: the body was cut short');
      if (trimmed.startsWith('#')) {
        const comment = /^#[ \t]*(HELP|TYPE|EOF)(?:[ \t]+(.*))?$/.exec(trimmed);
        if (comment === null) continue; // any other comment carries nothing
        if (comment[1] === 'EOF') break;
        const { name, remainder } = metadataName(comment[2] ?? '');
        if (comment[1] === 'HELP') {
          declared(name).help = unescapeHelp(remainder);
        } else {
          const type = remainder.trim().toLowerCase();
          if (!METRIC_TYPES.has(type)) throw new LineError(`unknown metric type ${JSON.stringify(remainder)}`);
          const family = declared(name);
          if (family.samples.length > 0 && family.type !== type) throw new LineError(`TYPE for ${name} comes after its samples`);
          family.type = type as MetricType;
        }
        continue;
      }
      const sample = parseSampleLine(trimmed);
      familyOf(sample.name).samples.push(sample);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      invalidLines.push({ lineNumber: index + 1, line: line.length > 200 ? `${line.slice(0, 200)}…` : line, reason: error.message });
    }
  }
  return { families, invalidLines };
}

/** Every sample with this exact name, whichever family holds it. */
export function samplesNamed(exposition: Exposition, name: string): Sample[] {
  const found: Sample[] = [];
  for (const family of exposition.families.values()) {
    for (const sample of family.samples) if (sample.name === name) found.push(sample);
  }
  return found;
}
