import { RE2JS } from 're2js';

export class PricePatternError extends Error {
  override readonly name = 'PricePatternError';
}

/** Longer patterns are a typo or an attack, never a model family; RE2 also bounds repetition counts at 1000. */
export const MAX_MODEL_PATTERN_LENGTH = 500;

/**
 * A price's model pattern, compiled once. Patterns run on RE2 (re2js): matching takes time linear in the model
 * name whatever the pattern, so a client-chosen name can never stall ingest the way `(a+)+b` stalls a backtracking
 * engine. RE2 has no backreferences or lookaround; such a pattern is refused when it is written, naming it.
 */
export interface CompiledModelPattern {
  readonly source: string;
  /** The one model name the pattern stands for when it has no regex operator ('gpt-4o', 'gpt-4\.1'), lower-cased. */
  readonly exactName: string | null;
  /** Length of the pattern without its own anchors: the tie-break between two patterns of the same date. */
  readonly specificity: number;
  matches(modelName: string): boolean;
}

/**
 * Anchored and case-insensitive. The pattern is always wrapped in ^(?:…)$, even when it already starts with ^ and
 * ends with $: wrapping an anchored pattern changes nothing, while 'a|b$' only looks anchored.
 */
export function compileModelPattern(modelPattern: string): CompiledModelPattern {
  if (modelPattern.length === 0) throw new PricePatternError('model pattern must not be empty');
  if (modelPattern.length > MAX_MODEL_PATTERN_LENGTH) {
    throw new PricePatternError(`model pattern ${JSON.stringify(modelPattern.slice(0, 40))}… is longer than ${MAX_MODEL_PATTERN_LENGTH} characters`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(`^(?:${modelPattern})$`, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new PricePatternError(
      `model pattern ${JSON.stringify(modelPattern)} is not a valid regular expression for RE2 (linear-time matching; ` +
        `no backreferences or lookaround): ${reason}`,
    );
  }
  const exactName = exactNameOf(modelPattern);
  return {
    source: modelPattern,
    exactName,
    specificity: withoutAnchors(modelPattern).length,
    // An exact name needs no regex at all: a string comparison is the same answer, faster.
    matches: exactName === null ? (modelName) => compiled.testExact(modelName) : (modelName) => modelName.toLowerCase() === exactName,
  };
}

const REGEX_OPERATORS = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$']);

/**
 * The name a pattern matches when it matches exactly one (up to case): no operator outside an escape, and every
 * escape an escaped punctuation character ('\.' is a dot; '\d' is a class, so not a name). Anchors at the ends are
 * allowed, since the matcher anchors every pattern anyway.
 */
export function exactNameOf(modelPattern: string): string | null {
  const body = withoutAnchors(modelPattern);
  let name = '';
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index];
    if (character === '\\') {
      const escaped = body[index + 1];
      if (escaped === undefined || /[\p{L}\p{N}\s]/u.test(escaped)) return null;
      name += escaped;
      index += 1;
    } else if (REGEX_OPERATORS.has(character)) {
      return null;
    } else {
      name += character;
    }
  }
  return name === '' ? null : name.toLowerCase();
}

function withoutAnchors(modelPattern: string): string {
  let body = modelPattern.startsWith('^') ? modelPattern.slice(1) : modelPattern;
  if (body.endsWith('$') && !isEscaped(body, body.length - 1)) body = body.slice(0, -1);
  return body;
}

/** Whether the character at `index` is escaped: an odd number of backslashes stands before it. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let position = index - 1; position >= 0 && text[position] === '\\'; position -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/** A model name as an exact pattern: every regex operator escaped, so the pattern matches that name only. */
export function escapeRegularExpression(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
