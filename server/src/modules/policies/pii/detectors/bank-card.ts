import { HYPHEN, SPACE, isWordCharacter } from './characters';
import { isLuhnValid, isValidCnResidentId } from './checksums';
import { digitsOfRuns, joinedBy, runLength, type ReportSpan, type ScanText } from './scan-text';

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/**
 * Payment card numbers: 13-19 digits, whole or in groups of 3-6 separated by one space or one hyphen (the same
 * throughout), passing Luhn, with a first digit of 2-6 (Mastercard 2/5, Amex/Diners/JCB 3, Visa 4, Discover and
 * UnionPay 6). The first-digit rule keeps millisecond timestamps and order numbers that happen to pass Luhn (one in
 * ten does) out. An 18-digit number that is a valid resident ID is reported as that, not also as a card.
 */
export function scanBankCards(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  const runs = scan.digitRuns();
  for (let index = 0; index < runs.count; index += 1) {
    const start = runs.starts[index];
    const firstDigit = text.charCodeAt(start) - 48;
    if (firstDigit < 2 || firstDigit > 6 || isWordCharacter(text.charCodeAt(start - 1))) continue;
    const length = runLength(runs, index);
    if (length >= MIN_DIGITS && length <= MAX_DIGITS) {
      const end = runs.ends[index];
      if (isWordCharacter(text.charCodeAt(end))) continue;
      const digits = text.slice(start, end);
      if (isLuhnValid(digits) && !(length === 18 && isValidCnResidentId(digits))) report(start, end);
      continue;
    }
    if (length < 4 || length > 6) continue;
    const separator = text.charCodeAt(runs.ends[index]);
    if (separator !== SPACE && separator !== HYPHEN) continue;
    // Extend group by group; every length from 13 to 19 digits is a candidate, the longest valid one wins.
    const candidateLastRuns: number[] = [];
    let total = length;
    let last = index;
    while (joinedBy(text, runs, last, separator)) {
      const next = runLength(runs, last + 1);
      if (next < 3 || next > 6 || total + next > MAX_DIGITS) break;
      total += next;
      last += 1;
      if (total >= MIN_DIGITS && !isWordCharacter(text.charCodeAt(runs.ends[last]))) candidateLastRuns.push(last);
    }
    for (let candidate = candidateLastRuns.length - 1; candidate >= 0; candidate -= 1) {
      const lastRun = candidateLastRuns[candidate];
      if (!isLuhnValid(digitsOfRuns(text, runs, index, lastRun))) continue;
      report(start, runs.ends[lastRun]);
      index = lastRun;
      break;
    }
  }
}
