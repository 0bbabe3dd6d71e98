import {
  CLOSE_PARENTHESIS,
  DOT,
  HYPHEN,
  OPEN_PARENTHESIS,
  PLUS,
  SPACE,
  isDigit,
  isWordCharacter,
} from './characters';
import { joinedBy, runLength, type DigitRuns, type ReportSpan, type ScanText } from './scan-text';

const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;

/**
 * Telephone numbers in three shapes: international ("+" and 8-15 digits in groups, E.164), mainland China mobile
 * (11 digits 1[3-9]…, whole or 3-4-4, optionally after +86 / 0086 / 86), and North American national numbers
 * ("(415) 555-2671", "415-555-2671", "415.555.2671"). Findings of the shapes may overlap; the caller merges them.
 */
export function scanPhones(scan: ScanText, report: ReportSpan): void {
  const runs = scan.digitRuns();
  for (let index = 0; index < runs.count; index += 1) {
    scanInternationalAt(scan.text, runs, index, report);
    scanChinaMobileAt(scan.text, runs, index, report);
    scanNorthAmericanAt(scan.text, runs, index, report);
  }
}

/** Between two groups of an international number: one space, hyphen or dot, or a parenthesis with a space. */
function isGroupGap(text: string, from: number, to: number): boolean {
  const length = to - from;
  const first = text.charCodeAt(from);
  if (length === 1) return first === SPACE || first === HYPHEN || first === DOT || first === OPEN_PARENTHESIS || first === CLOSE_PARENTHESIS;
  if (length !== 2) return false;
  const second = text.charCodeAt(from + 1);
  return (first === CLOSE_PARENTHESIS && (second === SPACE || second === HYPHEN)) || (first === SPACE && second === OPEN_PARENTHESIS);
}

function scanInternationalAt(text: string, runs: DigitRuns, index: number, report: ReportSpan): void {
  const start = runs.starts[index] - 1;
  if (text.charCodeAt(start) !== PLUS || isWordCharacter(text.charCodeAt(start - 1))) return;
  let total = runLength(runs, index);
  let last = index;
  // "+86 138 0013 8000": stop where the China mobile number is complete, not at whatever number follows it.
  const chinaMobileTotal = text.startsWith('86', runs.starts[index]) ? 13 : -1;
  while (total !== chinaMobileTotal && last + 1 < runs.count && isGroupGap(text, runs.ends[last], runs.starts[last + 1])) {
    const next = runLength(runs, last + 1);
    if (total + next > E164_MAX_DIGITS) break;
    total += next;
    last += 1;
  }
  const end = runs.ends[last];
  if (total < E164_MIN_DIGITS || total > E164_MAX_DIGITS || isWordCharacter(text.charCodeAt(end))) return;
  report(start, end);
}

function isChinaMobileStart(text: string, at: number): boolean {
  const second = text.charCodeAt(at + 1);
  return text.charCodeAt(at) === 49 && second >= 51 && second <= 57;
}

function scanChinaMobileAt(text: string, runs: DigitRuns, index: number, report: ReportSpan): void {
  const numberStart = runs.starts[index];
  if (!isChinaMobileStart(text, numberStart)) return;
  const length = runLength(runs, index);
  let end: number;
  if (length === 11) {
    end = runs.ends[index];
  } else if (length === 3) {
    const separator = text.charCodeAt(runs.ends[index]);
    if (separator !== SPACE && separator !== HYPHEN) return;
    if (!joinedBy(text, runs, index, separator) || runLength(runs, index + 1) !== 4) return;
    if (!joinedBy(text, runs, index + 1, separator) || runLength(runs, index + 2) !== 4) return;
    end = runs.ends[index + 2];
  } else {
    return;
  }
  if (isWordCharacter(text.charCodeAt(end))) return;
  const start = chinaPrefixStart(text, numberStart);
  if (start === -1) return;
  report(start, end);
}

/** Where "+86 ", "(+86)", "0086-", "86 " before the number begins, the number itself if none; -1 if glued to a word. */
function chinaPrefixStart(text: string, numberStart: number): number {
  let at = numberStart;
  const before = text.charCodeAt(at - 1);
  if (before === SPACE || before === HYPHEN) at -= 1;
  for (const prefix of ['(+86)', '+86', '0086', '86']) {
    const prefixStart = at - prefix.length;
    if (prefixStart < 0 || !text.startsWith(prefix, prefixStart)) continue;
    const outside = text.charCodeAt(prefixStart - 1);
    if (isWordCharacter(outside) || outside === PLUS) continue;
    return prefixStart;
  }
  return isWordCharacter(before) ? -1 : numberStart;
}

function isNorthAmericanLeading(text: string, at: number): boolean {
  const digit = text.charCodeAt(at);
  return digit >= 50 && digit <= 57;
}

function scanNorthAmericanAt(text: string, runs: DigitRuns, index: number, report: ReportSpan): void {
  if (index + 2 >= runs.count || runLength(runs, index) !== 3 || !isNorthAmericanLeading(text, runs.starts[index])) return;
  if (runLength(runs, index + 1) !== 3 || !isNorthAmericanLeading(text, runs.starts[index + 1]) || runLength(runs, index + 2) !== 4) return;
  const areaStart = runs.starts[index];
  const areaEnd = runs.ends[index];
  let start = areaStart;
  if (text.charCodeAt(areaStart - 1) === OPEN_PARENTHESIS && text.charCodeAt(areaEnd) === CLOSE_PARENTHESIS) {
    // "(415) 555-2671" or "(415)555-2671"
    const gap = runs.starts[index + 1] - areaEnd;
    if (gap !== 1 && !(gap === 2 && text.charCodeAt(areaEnd + 1) === SPACE)) return;
    const separator = text.charCodeAt(runs.ends[index + 1]);
    if ((separator !== HYPHEN && separator !== SPACE && separator !== DOT) || !joinedBy(text, runs, index + 1, separator)) return;
    start = areaStart - 1;
  } else {
    const separator = text.charCodeAt(areaEnd);
    if (separator !== HYPHEN && separator !== DOT) return;
    if (!joinedBy(text, runs, index, separator) || !joinedBy(text, runs, index + 1, separator)) return;
  }
  const end = runs.ends[index + 2];
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  if (isWordCharacter(before) || isWordCharacter(after)) return;
  if ((after === HYPHEN || after === DOT) && isDigit(text.charCodeAt(end + 1))) return;
  if (before === DOT && isDigit(text.charCodeAt(start - 2))) return;
  report(start, end);
}
