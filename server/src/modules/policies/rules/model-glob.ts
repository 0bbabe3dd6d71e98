/**
 * Model-name globs, matched in time linear in the glob times the name (no regular expressions: picomatch compiles
 * "*a*a*b" to a backtracking RegExp that takes seconds on a 200-character model name, and the model name comes
 * from the caller). Syntax: `*` any run of characters, '/' included ("llama-3.*" matches "llama-3.1-70b", "*"
 * matches "openai/gpt-4o"); `?` one character; `[abc]`, `[a-z]`, `[!a-z]` a class; `{a,b}` alternatives
 * (nestable); `\` escapes the next character. Matching ignores case (ASCII and Unicode simple case), so a deny of
 * "*-preview" cannot be stepped around by writing "GPT-4O-PREVIEW".
 */

type GlobToken =
  | { kind: 'literal'; character: string }
  | { kind: 'any-one' }
  | { kind: 'any-run' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };

export type ModelMatcher = (model: string) => boolean;

const MAX_GLOB_LENGTH = 256;
const MAX_ALTERNATIVES = 64;

export class GlobSyntaxError extends Error {
  override readonly name = 'GlobSyntaxError';
}

/** Why a glob is unusable, or undefined when it is fine. */
export function modelGlobProblem(glob: unknown): string | undefined {
  if (typeof glob !== 'string') return 'must be a string';
  if (glob.length === 0) return 'must not be empty';
  if (glob.length > MAX_GLOB_LENGTH) return `must be at most ${MAX_GLOB_LENGTH} characters`;
  if (/[\s\u0000-\u001f]/.test(glob)) return 'must not contain spaces or control characters';
  // "!x" would turn an allow list into "everything but x": exclusions belong in `deny`.
  if (glob.startsWith('!')) return 'must not be negated; list the models in "deny" instead';
  try {
    compileModelGlob(glob);
  } catch (error) {
    if (error instanceof GlobSyntaxError) return `is not a valid glob: ${error.message}`;
    throw error;
  }
  return undefined;
}

const compiled = new Map<string, ModelMatcher>();

/** Compiles (and caches) a glob; throws GlobSyntaxError for unbalanced brackets or braces and the like. */
export function compileModelGlob(glob: string): ModelMatcher {
  let matcher = compiled.get(glob);
  if (!matcher) {
    const alternatives = expandBraces(glob).map(tokenize);
    matcher = (model: string) => {
      const name = model.toLowerCase();
      return alternatives.some((tokens) => matchTokens(tokens, name));
    };
    compiled.set(glob, matcher);
  }
  return matcher;
}

export function matchesAnyModelGlob(model: string, globs: readonly string[]): boolean {
  for (const glob of globs) if (compileModelGlob(glob)(model)) return true;
  return false;
}

/** "a{b,c{d,e}}" → ["ab", "acd", "ace"], escapes kept for `tokenize`. */
function expandBraces(glob: string): string[] {
  const open = findUnescaped(glob, '{', 0);
  if (open === -1) {
    if (findUnescaped(glob, '}', 0) !== -1) throw new GlobSyntaxError('"}" without "{"');
    return [glob];
  }
  const parts: string[] = [];
  let depth = 0;
  let partStart = open + 1;
  let close = -1;
  for (let index = open + 1; index < glob.length && close === -1; index += 1) {
    const character = glob[index];
    if (character === '\\') index += 1;
    else if (character === '[') index = classEnd(glob, index);
    else if (character === '{') depth += 1;
    else if (character === '}' && depth > 0) depth -= 1;
    else if (character === '}') close = index;
    else if (character === ',' && depth === 0) {
      parts.push(glob.slice(partStart, index));
      partStart = index + 1;
    }
  }
  if (close === -1) throw new GlobSyntaxError('"{" without "}"');
  parts.push(glob.slice(partStart, close));
  const prefix = glob.slice(0, open);
  const expanded: string[] = [];
  for (const suffix of expandBraces(glob.slice(close + 1))) {
    for (const part of parts) {
      for (const inner of expandBraces(part)) {
        expanded.push(prefix + inner + suffix);
        if (expanded.length > MAX_ALTERNATIVES) throw new GlobSyntaxError(`more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return expanded;
}

function findUnescaped(glob: string, wanted: string, from: number): number {
  for (let index = from; index < glob.length; index += 1) {
    if (glob[index] === '\\') index += 1;
    else if (glob[index] === '[') index = classEnd(glob, index);
    else if (glob[index] === wanted) return index;
  }
  return -1;
}

/** Index of the ']' closing the class opened at `open`. */
function classEnd(glob: string, open: number): number {
  let index = open + 1;
  if (glob[index] === '!' || glob[index] === '^') index += 1;
  if (glob[index] === ']') index += 1;
  for (; index < glob.length; index += 1) {
    if (glob[index] === '\\') index += 1;
    else if (glob[index] === ']') return index;
  }
  throw new GlobSyntaxError('"[" without "]"');
}

function tokenize(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < glob.length; index += 1) {
    const character = glob[index];
    if (character === '\\') {
      if (index + 1 >= glob.length) throw new GlobSyntaxError('trailing "\\"');
      index += 1;
      tokens.push({ kind: 'literal', character: glob[index].toLowerCase() });
    } else if (character === '*') {
      // "**" is the same as "*": names have no path segments.
      if (tokens.at(-1)?.kind !== 'any-run') tokens.push({ kind: 'any-run' });
    } else if (character === '?') {
      tokens.push({ kind: 'any-one' });
    } else if (character === '[') {
      const end = classEnd(glob, index);
      tokens.push(parseClass(glob.slice(index + 1, end)));
      index = end;
    } else if (character === ']') {
      throw new GlobSyntaxError('"]" without "["');
    } else if (character === '(' || character === ')' || character === '|') {
      throw new GlobSyntaxError(`"${character}": extended globs are not supported (use {a,b})`);
    } else {
      tokens.push({ kind: 'literal', character: character.toLowerCase() });
    }
  }
  return tokens;
}

function parseClass(body: string): GlobToken {
  const negated = body[0] === '!' || body[0] === '^';
  let index = negated ? 1 : 0;
  const readCharacter = (): string => {
    if (body[index] === '\\') index += 1;
    const character = body[index];
    index += 1;
    return character;
  };
  const ranges: Array<[string, string]> = [];
  while (index < body.length) {
    const low = readCharacter();
    if (body[index] === '-' && index + 1 < body.length) {
      index += 1;
      const high = readCharacter();
      if (high < low) throw new GlobSyntaxError(`range "${low}-${high}" is out of order`);
      ranges.push([low, high]);
    } else {
      ranges.push([low, low]);
    }
  }
  if (ranges.length === 0) throw new GlobSyntaxError('empty class');
  return { kind: 'class', negated, ranges };
}

function classMatches(token: Extract<GlobToken, { kind: 'class' }>, character: string): boolean {
  const upper = character.toUpperCase();
  const inClass = token.ranges.some(([low, high]) => (character >= low && character <= high) || (upper >= low && upper <= high));
  return inClass !== token.negated;
}

function singleMatches(token: GlobToken, character: string): boolean {
  if (token.kind === 'literal') return token.character === character;
  if (token.kind === 'any-one') return true;
  if (token.kind === 'class') return classMatches(token, character);
  return false;
}

/**
 * Wildcard matching with one remembered star: on a mismatch, the last '*' absorbs one more character and matching
 * resumes after it. Earlier stars never need revisiting, so this is O(glob × name) at worst, never exponential.
 */
function matchTokens(tokens: readonly GlobToken[], name: string): boolean {
  let token = 0;
  let position = 0;
  let starToken = -1;
  let starPosition = 0;
  while (position < name.length) {
    const current = tokens[token];
    if (current !== undefined && current.kind === 'any-run') {
      starToken = token;
      starPosition = position;
      token += 1;
    } else if (current !== undefined && singleMatches(current, name[position])) {
      token += 1;
      position += 1;
    } else if (starToken !== -1) {
      token = starToken + 1;
      starPosition += 1;
      position = starPosition;
    } else {
      return false;
    }
  }
  while (tokens[token]?.kind === 'any-run') token += 1;
  return token === tokens.length;
}
