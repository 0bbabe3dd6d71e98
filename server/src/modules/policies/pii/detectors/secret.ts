import {
  DOT,
  HYPHEN,
  UNDERSCORE,
  isAsciiAlphanumeric,
  isDigit,
  isSpaceSeparator,
  isTokenCharacter,
  isUpperLetter,
  isWordCharacter,
} from './characters';
import type { ReportSpan, ScanText } from './scan-text';

interface PrefixedToken {
  prefix: string;
  isBodyCharacter: (code: number) => boolean;
  minimumBody: number;
  exactBody?: boolean;
  /** Keys are random: a body without a digit is prose ("sk-this-is-not-a-key-at-all"). */
  needsDigit?: boolean;
}

const isUpperAlphanumeric = (code: number) => isDigit(code) || isUpperLetter(code);
const isAlphanumericOrUnderscore = (code: number) => isAsciiAlphanumeric(code) || code === UNDERSCORE;
const isSlackBodyCharacter = (code: number) => isAsciiAlphanumeric(code) || code === HYPHEN;

/** Vendor key formats with a fixed prefix. OpenAI's "sk-" covers "sk-proj-…" and Anthropic's "sk-ant-…". */
const PREFIXED_TOKENS: readonly PrefixedToken[] = [
  { prefix: 'sk-', isBodyCharacter: isTokenCharacter, minimumBody: 20, needsDigit: true },
  { prefix: 'AKIA', isBodyCharacter: isUpperAlphanumeric, minimumBody: 16, exactBody: true },
  { prefix: 'ASIA', isBodyCharacter: isUpperAlphanumeric, minimumBody: 16, exactBody: true },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({ prefix, isBodyCharacter: isAsciiAlphanumeric, minimumBody: 36 })),
  { prefix: 'github_pat_', isBodyCharacter: isAlphanumericOrUnderscore, minimumBody: 22 },
  ...['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'].map((prefix) => ({
    prefix,
    isBodyCharacter: isSlackBodyCharacter,
    minimumBody: 10,
    needsDigit: true,
  })),
  { prefix: 'glpat-', isBodyCharacter: isTokenCharacter, minimumBody: 20 },
  { prefix: 'AIza', isBodyCharacter: isTokenCharacter, minimumBody: 35, exactBody: true },
  ...['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'].map((prefix) => ({ prefix, isBodyCharacter: isAsciiAlphanumeric, minimumBody: 16 })),
  { prefix: 'hf_', isBodyCharacter: isAsciiAlphanumeric, minimumBody: 30 },
];

type CandidateHandler = (text: string, start: number, report: ReportSpan) => number;

const PEM_BEGIN = '-----BEGIN ';

/** Every prefix that starts a candidate, and what reads it; each handler answers how far it read. */
const HANDLERS = new Map<string, CandidateHandler>([
  ...PREFIXED_TOKENS.map((token): [string, CandidateHandler] => [token.prefix, (text, start, report) => readPrefixedToken(text, start, token, report)]),
  ['eyJ', readJsonWebToken],
  ['Bearer ', readBearerToken],
  ['bearer ', readBearerToken],
  [PEM_BEGIN, readPrivateKey],
]);

/**
 * One native pass finds every candidate prefix: an alternation of fixed strings, which the engine matches without
 * backtracking (each position is tried against literals of bounded length). Handwritten readers then take each
 * candidate, and the search resumes after what they read, so a text of repeated prefixes stays linear.
 */
const CANDIDATE_PREFIX = new RegExp([...HANDLERS.keys()].map((prefix) => prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

/** API keys and tokens: the vendor formats above, JSON Web Tokens, the credential after "Bearer", PEM private keys. */
export function scanSecrets(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  CANDIDATE_PREFIX.lastIndex = 0;
  for (let match = CANDIDATE_PREFIX.exec(text); match !== null; match = CANDIDATE_PREFIX.exec(text)) {
    const consumed = HANDLERS.get(match[0])!(text, match.index, report);
    CANDIDATE_PREFIX.lastIndex = Math.max(CANDIDATE_PREFIX.lastIndex, consumed);
  }
}

function consume(text: string, from: number, isCharacter: (code: number) => boolean): number {
  let end = from;
  while (end < text.length && isCharacter(text.charCodeAt(end))) end += 1;
  return end;
}

function containsDigit(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) if (isDigit(text.charCodeAt(index))) return true;
  return false;
}

function readPrefixedToken(text: string, start: number, token: PrefixedToken, report: ReportSpan): number {
  const bodyStart = start + token.prefix.length;
  const end = consume(text, bodyStart, token.isBodyCharacter);
  const bodyLength = end - bodyStart;
  if (isWordCharacter(text.charCodeAt(start - 1)) || bodyLength < token.minimumBody) return end;
  if (token.exactBody && (bodyLength !== token.minimumBody || isWordCharacter(text.charCodeAt(end)))) return end;
  if (token.needsDigit && !containsDigit(text, bodyStart, end)) return end;
  report(start, end);
  return end;
}

/** header.payload.signature, base64url, the header a JSON object ("eyJ" is base64 of '{"'). */
function readJsonWebToken(text: string, start: number, report: ReportSpan): number {
  const headerEnd = consume(text, start, isTokenCharacter);
  if (isWordCharacter(text.charCodeAt(start - 1)) || headerEnd - start < 10 || text.charCodeAt(headerEnd) !== DOT) return headerEnd;
  const payloadEnd = consume(text, headerEnd + 1, isTokenCharacter);
  if (payloadEnd - headerEnd - 1 < 4 || text.charCodeAt(payloadEnd) !== DOT) return payloadEnd;
  const signatureEnd = consume(text, payloadEnd + 1, isTokenCharacter);
  report(start, signatureEnd);
  return signatureEnd;
}

/** RFC 6750 b64token characters. */
function isBearerCharacter(code: number): boolean {
  return isTokenCharacter(code) || code === DOT || code === 126 || code === 43 || code === 47 || code === 61;
}

/** The credential after "Bearer " (the word itself stays readable), at least 16 characters with a digit. */
function readBearerToken(text: string, start: number, report: ReportSpan): number {
  let tokenStart = start + 'Bearer '.length;
  while (isSpaceSeparator(text.charCodeAt(tokenStart))) tokenStart += 1;
  const end = consume(text, tokenStart, isBearerCharacter);
  if (isWordCharacter(text.charCodeAt(start - 1)) || end - tokenStart < 16 || !containsDigit(text, tokenStart, end)) return end;
  report(tokenStart, end);
  return end;
}

const PEM_END = '-----END ';
const PEM_DASHES = '-----';
const MAX_PEM_LABEL = 60;

function isPemBodyCharacter(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 43 || code === 47 || code === 61 || code === 10 || code === 13 || code === 32 || code === 9;
}

const PRIVATE_KEY_LABEL = /PRIVATE KEY( BLOCK)?$/;

/**
 * "-----BEGIN … PRIVATE KEY-----" through its "-----END …-----" line, unless another BEGIN comes first; a block
 * cut off before its END (a truncated log line) still covers its base64 body. Public keys and certificates are not
 * secrets. Each search is bounded by the next "-----", which every BEGIN and END starts with, so a text of many
 * BEGINs is still read about once.
 */
function readPrivateKey(text: string, start: number, report: ReportSpan): number {
  const labelStart = start + PEM_BEGIN.length;
  const labelEnd = text.indexOf(PEM_DASHES, labelStart);
  if (labelEnd === -1 || labelEnd - labelStart > MAX_PEM_LABEL || !PRIVATE_KEY_LABEL.test(text.slice(labelStart, labelEnd))) {
    return labelStart;
  }
  const bodyStart = labelEnd + PEM_DASHES.length;
  const bodyEnd = consume(text, bodyStart, isPemBodyCharacter);
  // The END line follows the base64 body directly, or after header lines ("Proc-Type: 4,ENCRYPTED") of old PEMs.
  const nextDashes = text.indexOf(PEM_DASHES, bodyStart);
  let end = bodyEnd;
  if (nextDashes !== -1 && text.startsWith(PEM_END, nextDashes)) {
    const closing = text.indexOf(PEM_DASHES, nextDashes + PEM_END.length);
    end = closing !== -1 && closing - nextDashes <= MAX_PEM_LABEL + PEM_END.length ? closing + PEM_DASHES.length : nextDashes + PEM_END.length;
  }
  report(start, end);
  return end;
}
