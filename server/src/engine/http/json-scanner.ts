/** The body's structure is wrong at the scanner's position (not a JSON.parse error of one value). */
export class JsonScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonScanError';
  }
}

export function scanFailure(message: string): JsonScanError {
  return new JsonScanError(message);
}

const quote = 34;
const backslash = 92;
const openBrace = 123;
const closeBrace = 125;
const openBracket = 91;
const closeBracket = 93;
const newline = 10;

function isWhitespace(code: number): boolean {
  // space, tab, CR, LF, and a byte-order mark.
  return code === 32 || code === 9 || code === 13 || code === newline || code === 0xfeff;
}

function isDelimiter(code: number): boolean {
  return isWhitespace(code) || code === 44 || code === 58 || code === closeBracket || code === closeBrace;
}

/**
 * Walks a JSON text one value at a time: finds where each value ends (strings, nesting) without building it, then
 * hands just that slice to JSON.parse. It tracks the line so every item knows where it starts in the body.
 */
export class JsonScanner {
  position = 0;
  line = 1;
  private lineStart = 0;
  // Line breaks inside the value being read, counted while finding its end and applied once it parsed.
  private pendingLines = 0;
  private pendingLineStart = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  describePosition(): string {
    return `line ${this.line}, column ${this.position - this.lineStart + 1}`;
  }

  skipWhitespace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const code = text.charCodeAt(this.position);
      if (!isWhitespace(code)) return;
      this.position += 1;
      if (code === newline) {
        this.line += 1;
        this.lineStart = this.position;
      }
    }
  }

  expect(character: string): void {
    if (this.peek() !== character) {
      throw scanFailure(this.atEnd() ? `the body ends where "${character}" was expected` : `expected "${character}", found "${this.peek()}"`);
    }
    this.position += 1;
  }

  /** Parses the value at the position and moves past it. */
  readValue(): unknown {
    const start = this.position;
    this.pendingLines = 0;
    const end = this.valueEnd(start);
    const value: unknown = JSON.parse(this.text.slice(start, end));
    if (this.pendingLines > 0) {
      this.line += this.pendingLines;
      this.lineStart = this.pendingLineStart;
    }
    this.position = end;
    return value;
  }

  private stringEnd(start: number): number {
    const text = this.text;
    for (let search = start + 1; ; ) {
      const closing = text.indexOf('"', search);
      if (closing < 0) throw scanFailure('a string is not terminated');
      let backslashes = 0;
      while (text.charCodeAt(closing - 1 - backslashes) === backslash) backslashes += 1;
      if (backslashes % 2 === 0) return closing + 1;
      search = closing + 1;
    }
  }

  private valueEnd(start: number): number {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (first === quote) return this.stringEnd(start);
    if (first === openBrace || first === openBracket) {
      let depth = 0;
      for (let index = start; index < text.length; ) {
        const code = text.charCodeAt(index);
        if (code === quote) {
          index = this.stringEnd(index);
          continue;
        }
        if (code === openBrace || code === openBracket) depth += 1;
        else if (code === newline) {
          // Between tokens only: a raw newline inside a string is not JSON, and JSON.parse refuses the value.
          this.pendingLines += 1;
          this.pendingLineStart = index + 1;
        } else if (code === closeBrace || code === closeBracket) {
          depth -= 1;
          if (depth === 0) return index + 1;
        }
        index += 1;
      }
      throw scanFailure('the body ends inside an object or array');
    }
    let end = start;
    while (end < text.length && !isDelimiter(text.charCodeAt(end))) end += 1;
    if (end === start) throw scanFailure(start >= text.length ? 'the body ends where a value was expected' : `expected a value, found "${text[start]}"`);
    return end;
  }
}
