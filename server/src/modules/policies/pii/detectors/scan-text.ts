/**
 * The maximal runs of ASCII digits in a text, found in one pass and shared by every digit-based detector (cards,
 * IDs, phones, SSNs, IPv4, IBAN check digits): they look at runs and at the one or two characters between runs,
 * never rescan the text, which keeps the whole detection linear.
 */
export interface DigitRuns {
  readonly count: number;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export class ScanText {
  private runs: DigitRuns | undefined;

  constructor(readonly text: string) {}

  digitRuns(): DigitRuns {
    this.runs ??= findDigitRuns(this.text);
    return this.runs;
  }

  code(index: number): number {
    return this.text.charCodeAt(index);
  }
}

/**
 * One native regular-expression pass: a single character class repeated, which cannot backtrack (each digit is
 * read once), and the engine skips the non-digit text far faster than a JavaScript loop does.
 */
const DIGIT_RUN = /[0-9]+/g;

export function findDigitRuns(text: string): DigitRuns {
  const starts: number[] = [];
  const ends: number[] = [];
  DIGIT_RUN.lastIndex = 0;
  for (let match = DIGIT_RUN.exec(text); match !== null; match = DIGIT_RUN.exec(text)) {
    starts.push(match.index);
    ends.push(DIGIT_RUN.lastIndex);
  }
  return { count: starts.length, starts, ends };
}

/** A detector reports [start, end) spans of the text; the caller attaches the detector's name. */
export type ReportSpan = (start: number, end: number) => void;
export type Scanner = (scan: ScanText, report: ReportSpan) => void;

/** Run `index` and run `index + 1` are separated by exactly one character, and it is `separator`. */
export function joinedBy(text: string, runs: DigitRuns, index: number, separator: number): boolean {
  return (
    index + 1 < runs.count && runs.starts[index + 1] === runs.ends[index] + 1 && text.charCodeAt(runs.ends[index]) === separator
  );
}

export function runLength(runs: DigitRuns, index: number): number {
  return runs.ends[index] - runs.starts[index];
}

/** The digits of runs first..last (inclusive), without what separates them. */
export function digitsOfRuns(text: string, runs: DigitRuns, first: number, last: number): string {
  let digits = '';
  for (let index = first; index <= last; index += 1) digits += text.slice(runs.starts[index], runs.ends[index]);
  return digits;
}
