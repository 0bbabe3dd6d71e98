import { DOT, HYPHEN, PLUS, UNDERSCORE, isAsciiAlphanumeric, isAsciiLetter } from './characters';
import type { ReportSpan, ScanText } from './scan-text';

const PERCENT = 37;
const MAX_LOCAL_PART = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

function isLocalPartCharacter(code: number): boolean {
  // RFC 5322 allows quotes and slashes too, but in prose those belong to the sentence around the address.
  return isAsciiAlphanumeric(code) || code === DOT || code === UNDERSCORE || code === PERCENT || code === PLUS || code === HYPHEN;
}

function isDomainCharacter(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === HYPHEN || code === DOT;
}

/**
 * Email addresses, found from each '@'. Neither side can contain '@', so each character is looked at by at most the
 * '@' before it and the one after it: linear however many '@' the text has.
 */
export function scanEmails(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  let from = 0;
  let previousAt = -1;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', from)) {
    from = at + 1;
    const lowest = Math.max(previousAt + 1, at - MAX_LOCAL_PART);
    previousAt = at;
    let start = at;
    while (start > lowest && isLocalPartCharacter(text.charCodeAt(start - 1))) start -= 1;
    // Stopped by the length limit inside a longer run (the previous '@' is no local-part character): no address.
    if (isLocalPartCharacter(text.charCodeAt(start - 1))) continue;
    while (start < at && text.charCodeAt(start) === DOT) start += 1;
    if (start === at || text.charCodeAt(at - 1) === DOT) continue;

    const highest = Math.min(text.length, at + 1 + MAX_DOMAIN);
    let end = at + 1;
    while (end < highest && isDomainCharacter(text.charCodeAt(end))) end += 1;
    if (end === highest && isDomainCharacter(text.charCodeAt(end))) continue;
    if (text.charCodeAt(end) === UNDERSCORE) continue;
    // The sentence's full stop or a dash after the address is not part of it.
    while (end > at + 1 && (text.charCodeAt(end - 1) === DOT || text.charCodeAt(end - 1) === HYPHEN)) end -= 1;
    if (!isValidDomain(text, at + 1, end)) continue;
    report(start, end);
    from = Math.max(from, end);
  }
}

/** Two or more labels of 1-63 characters, none starting or ending with '-', the last alphabetic (a TLD). */
function isValidDomain(text: string, start: number, end: number): boolean {
  let labels = 0;
  let labelStart = start;
  let lastLabelAlphabetic = false;
  for (let index = start; index <= end; index += 1) {
    if (index < end && text.charCodeAt(index) !== DOT) continue;
    const labelLength = index - labelStart;
    if (labelLength === 0 || labelLength > MAX_LABEL) return false;
    if (text.charCodeAt(labelStart) === HYPHEN || text.charCodeAt(index - 1) === HYPHEN) return false;
    lastLabelAlphabetic = labelLength >= 2;
    for (let position = labelStart; position < index && lastLabelAlphabetic; position += 1) {
      lastLabelAlphabetic = isAsciiLetter(text.charCodeAt(position));
    }
    labels += 1;
    labelStart = index + 1;
  }
  return labels >= 2 && lastLabelAlphabetic;
}
