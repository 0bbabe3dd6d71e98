import { HYPHEN, SPACE, isWordCharacter } from './characters';
import { isValidCnResidentId } from './checksums';
import { digitsOfRuns, joinedBy, runLength, type ReportSpan, type ScanText } from './scan-text';

const LETTER_X = 88;
const LETTER_SMALL_X = 120;

function isCheckLetter(code: number): boolean {
  return code === LETTER_X || code === LETTER_SMALL_X;
}

/**
 * Mainland China resident identity numbers: 18 characters (the last may be X), written whole or as 6-8-4 groups
 * separated by one space or hyphen; kept only when the check character and the birth date are right.
 */
export function scanCnResidentIds(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  const runs = scan.digitRuns();
  for (let index = 0; index < runs.count; index += 1) {
    const start = runs.starts[index];
    if (isWordCharacter(text.charCodeAt(start - 1))) continue;
    const length = runLength(runs, index);
    let end = -1;
    let value = '';
    if (length === 18 || (length === 17 && isCheckLetter(text.charCodeAt(runs.ends[index])))) {
      end = start + 18;
      value = text.slice(start, end);
    } else if (length === 6) {
      const separator = text.charCodeAt(runs.ends[index]);
      if ((separator !== SPACE && separator !== HYPHEN) || !joinedBy(text, runs, index, separator)) continue;
      if (runLength(runs, index + 1) !== 8 || !joinedBy(text, runs, index + 1, separator)) continue;
      const lastLength = runLength(runs, index + 2);
      const lastEnd = runs.ends[index + 2];
      if (lastLength === 4) end = lastEnd;
      else if (lastLength === 3 && isCheckLetter(text.charCodeAt(lastEnd))) end = lastEnd + 1;
      else continue;
      value = digitsOfRuns(text, runs, index, index + 2) + (lastLength === 3 ? text[lastEnd] : '');
    } else {
      continue;
    }
    if (isWordCharacter(text.charCodeAt(end)) || !isValidCnResidentId(value)) continue;
    report(start, end);
  }
}
