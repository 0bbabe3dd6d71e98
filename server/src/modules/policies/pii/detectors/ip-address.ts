import { COLON, DOT, isDigit, isHexDigit, isWordCharacter } from './characters';
import { joinedBy, type DigitRuns, type ReportSpan, type ScanText } from './scan-text';

const MAX_IPV6_LENGTH = 45;

/** IPv4 in dotted decimal and IPv6 in any RFC 4291 text form (compressed, embedded IPv4). */
export function scanIpAddresses(scan: ScanText, report: ReportSpan): void {
  scanIpv4(scan, report);
  scanIpv6(scan, report);
}

/** Four 0-255 numbers without leading zeros; not a piece of a longer dotted number such as a version "1.2.3.4.5". */
function scanIpv4(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  const runs = scan.digitRuns();
  for (let index = 0; index + 3 < runs.count; index += 1) {
    if (!isOctetAt(text, runs, index)) continue;
    const start = runs.starts[index];
    const before = text.charCodeAt(start - 1);
    if (isWordCharacter(before) || before === DOT) continue;
    let valid = true;
    for (let octet = 1; octet < 4 && valid; octet += 1) {
      valid = joinedBy(text, runs, index + octet - 1, DOT) && isOctetAt(text, runs, index + octet);
    }
    if (!valid) continue;
    const end = runs.ends[index + 3];
    const after = text.charCodeAt(end);
    if (isWordCharacter(after) || (after === DOT && isDigit(text.charCodeAt(end + 1)))) continue;
    report(start, end);
    index += 3;
  }
}

function isOctetAt(text: string, runs: DigitRuns, index: number): boolean {
  return isOctet(text, runs.starts[index], runs.ends[index]);
}

/** 0-255 without leading zeros, from text[start, end) known to be digits. */
function isOctet(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 3 || (length > 1 && text.charCodeAt(start) === 48)) return false;
  let value = 0;
  for (let index = start; index < end; index += 1) value = value * 10 + (text.charCodeAt(index) - 48);
  return value <= 255;
}

function isIpv6Character(code: number): boolean {
  return isHexDigit(code) || code === COLON || code === DOT;
}

/** Found from each ':': the maximal run of hex digits, colons and dots around it, trimmed of sentence punctuation. */
function scanIpv6(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  let from = 0;
  for (let colon = text.indexOf(':', from); colon !== -1; colon = text.indexOf(':', from)) {
    let start = colon;
    while (start > from && isIpv6Character(text.charCodeAt(start - 1))) start -= 1;
    let end = colon + 1;
    while (end < text.length && isIpv6Character(text.charCodeAt(end))) end += 1;
    from = end;
    while (end > start && text.charCodeAt(end - 1) === DOT) end -= 1;
    if (text.charCodeAt(end - 1) === COLON && text.charCodeAt(end - 2) !== COLON) end -= 1;
    if (text.charCodeAt(start) === COLON && text.charCodeAt(start + 1) !== COLON) start += 1;
    if (end - start < 2 || end - start > MAX_IPV6_LENGTH) continue;
    if (isWordCharacter(text.charCodeAt(start - 1)) || isWordCharacter(text.charCodeAt(end))) continue;
    if (isIpv6At(text, start, end)) report(start, end);
  }
}

/**
 * Eight groups of 1-4 hex digits, or fewer around one '::'; the last group may be an IPv4 address (worth two).
 * At least one decimal digit is required, so words such as "dead::beef" or C++'s "a::b" are not addresses.
 * Reads text[start, end) in place: this runs for every colon-joined run in the text (times, JSON, code).
 */
export function isIpv6At(text: string, start: number, end: number): boolean {
  let groups = 0;
  let compressed = false;
  let hasDecimalDigit = false;
  let index = start;
  if (text.charCodeAt(start) === COLON) {
    if (text.charCodeAt(start + 1) !== COLON) return false;
    compressed = true;
    index += 2;
  }
  while (index < end) {
    let groupEnd = index;
    let dotted = false;
    while (groupEnd < end && text.charCodeAt(groupEnd) !== COLON) {
      if (text.charCodeAt(groupEnd) === DOT) dotted = true;
      groupEnd += 1;
    }
    if (dotted) {
      if (groupEnd !== end || !isIpv4At(text, index, end)) return false;
      groups += 2;
      hasDecimalDigit = true;
      break;
    }
    if (groupEnd - index < 1 || groupEnd - index > 4) return false;
    for (let position = index; position < groupEnd; position += 1) {
      const code = text.charCodeAt(position);
      if (!isHexDigit(code)) return false;
      if (isDigit(code)) hasDecimalDigit = true;
    }
    groups += 1;
    if (groupEnd === end) break;
    if (text.charCodeAt(groupEnd + 1) === COLON) {
      if (compressed) return false;
      compressed = true;
      index = groupEnd + 2;
    } else {
      index = groupEnd + 1;
      if (index === end) return false;
    }
  }
  return hasDecimalDigit && (compressed ? groups <= 7 : groups === 8);
}

function isIpv4At(text: string, start: number, end: number): boolean {
  let octetStart = start;
  let octets = 0;
  for (let index = start; index <= end; index += 1) {
    if (index < end && text.charCodeAt(index) !== DOT) {
      if (!isDigit(text.charCodeAt(index))) return false;
      continue;
    }
    if (!isOctet(text, octetStart, index)) return false;
    octets += 1;
    octetStart = index + 1;
  }
  return octets === 4;
}
