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
  const cached = compiledBySource.get(modelPattern);
  if (cached) return cached;
  const compiled = compileUncached(modelPattern);
  // The catalog is reloaded every minute and after each edit; compiling a pattern on RE2 costs about a millisecond,
  // so compiled patterns are kept across reloads (bounded: sources are finance's patterns, not clients' names).
  if (compiledBySource.size >= MAX_CACHED_PATTERNS) compiledBySource.delete(compiledBySource.keys().next().value!);
  compiledBySource.set(modelPattern, compiled);
  return compiled;
}

const MAX_CACHED_PATTERNS = 20_000;
const compiledBySource = new Map<string, CompiledModelPattern>();

function compileUncached(modelPattern: string): CompiledModelPattern {
  if (modelPattern.length === 0) throw new PricePatternError('model pattern must not be empty');
  if (modelPattern.length > MAX_MODEL_PATTERN_LENGTH) {
    throw new PricePatternError(`model pattern ${JSON.stringify(modelPattern.slice(0, 40))}… is longer than ${MAX_MODEL_PATTERN_LENGTH} characters`);
  }
  const exactName = exactNameOf(modelPattern);
  const specificity = withoutAnchors(modelPattern).length;
  // An exact name needs no regex at all: its characters are literals and escaped ASCII punctuation, which RE2 always
  // accepts, and a string comparison gives the same answer. That matters: compiling costs about a millisecond, and a
  // LiteLLM catalog holds thousands of names.
  if (exactName !== null) return { source: modelPattern, exactName, specificity, matches: (modelName) => modelName.toLowerCase() === exactName };
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
  // Most patterns hold literal text every match contains ('gpt-4o' in 'gpt-4o(-\d{4})?' and in Langfuse's
  // '^(openai/)?(gpt-4o)$'): a name without it cannot match, and a substring test rules it out far faster than RE2.
  // Only plain ASCII is compared so: RE2 folds a few other characters onto ASCII letters ('ſ' onto 's').
  const required = requiredLiteralOf(modelPattern);
  const rulesOut = (modelName: string): boolean => required !== '' && !NON_ASCII.test(modelName) && !modelName.toLowerCase().includes(required);
  return { source: modelPattern, exactName, specificity, matches: (modelName) => !rulesOut(modelName) && compiled.testExact(modelName) };
}

/**
 * The longest literal text every match contains, lower-cased; '' when none can be told simply. Looks through the
 * top level and through groups that must match once (no quantifier, no alternation inside); a literal followed by a
 * quantifier is optional and breaks the run, as does a class, an escape like \d, or anything it does not read.
 */
export function requiredLiteralOf(modelPattern: string): string {
  const longest = longestRequiredRun(withoutAnchors(modelPattern));
  return NON_ASCII.test(longest) ? '' : longest.toLowerCase();
}

function longestRequiredRun(body: string): string {
  if (hasTopLevelAlternation(body)) return '';
  let longest = '';
  let run = '';
  const endRun = () => {
    if (run.length > longest.length) longest = run;
    run = '';
  };
  let index = 0;
  while (index < body.length) {
    const character = body[index];
    if (character === '(') {
      const close = closingParenthesis(body, index);
      if (close < 0) return longest;
      const quantified = QUANTIFIERS.has(body[close + 1] ?? '');
      const content = body.slice(index + 1, close);
      endRun();
      if (!quantified && (content.startsWith('?:') || !content.startsWith('?'))) {
        const inner = longestRequiredRun(content.startsWith('?:') ? content.slice(2) : content);
        if (inner.length > longest.length) longest = inner;
      }
      index = close + 1 + (quantified ? 1 : 0);
      continue;
    }
    let literal: string | null = null;
    let next = index + 1;
    if (character === '\\') {
      const escaped = body[index + 1];
      if (escaped !== undefined && ASCII_PUNCTUATION.test(escaped)) literal = escaped;
      next = index + 2;
    } else if (character === '[') {
      const close = body.indexOf(']', index + 2);
      next = close < 0 ? body.length : close + 1;
    } else if (!REGEX_OPERATORS.has(character)) {
      literal = character;
    }
    if (literal === null || QUANTIFIERS.has(body[next] ?? '')) {
      endRun();
      // A quantifier after a literal or a class belongs to it: skip it too ({m,n} in full).
      if (body[next] === '{') next = Math.max(next, body.indexOf('}', next) + 1);
      index = next;
      continue;
    }
    run += literal;
    index = next;
  }
  endRun();
  return longest;
}

/** Index of the ')' closing the '(' at `open`, escapes and classes skipped; -1 when unbalanced. */
function closingParenthesis(body: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = open; index < body.length; index += 1) {
    const character = body[index];
    if (character === '\\') index += 1;
    else if (inClass) inClass = character !== ']';
    else if (character === '[') inClass = true;
    else if (character === '(') depth += 1;
    else if (character === ')' && --depth === 0) return index;
  }
  return -1;
}

const QUANTIFIERS = new Set(['?', '*', '+', '{']);

function hasTopLevelAlternation(body: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index];
    if (character === '\\') {
      index += 1;
    } else if (inClass) {
      if (character === ']') inClass = false;
    } else if (character === '[') {
      inClass = true;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;
    } else if (character === '|' && depth === 0) {
      return true;
    }
  }
  return false;
}

const NON_ASCII = /[^\u0000-\u007f]/;

const REGEX_OPERATORS = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$']);
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;

/**
 * The name a pattern matches when it matches exactly one (up to case): no operator outside an escape, and every
 * escape an escaped ASCII punctuation character ('\.' is a dot; '\d' is a class, so not a name). Anchors at the
 * ends are allowed, since the matcher anchors every pattern anyway.
 */
export function exactNameOf(modelPattern: string): string | null {
  const body = withoutAnchors(modelPattern);
  let name = '';
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index];
    if (character === '\\') {
      const escaped = body[index + 1];
      if (escaped === undefined || !ASCII_PUNCTUATION.test(escaped)) return null;
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
