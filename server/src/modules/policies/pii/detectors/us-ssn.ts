import { DOT, HYPHEN, isDigit, isWordCharacter } from './characters';
import { isPlausibleUsSsn } from './checksums';
import { joinedBy, runLength, type ReportSpan, type ScanText } from './scan-text';

/**
 * US Social Security numbers written AAA-GG-SSSS. Undashed nine-digit numbers are not taken: without the dashes
 * they are indistinguishable from any other nine-digit number.
 */
export function scanUsSsns(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  const runs = scan.digitRuns();
  for (let index = 0; index + 2 < runs.count; index += 1) {
    if (runLength(runs, index) !== 3 || !joinedBy(text, runs, index, HYPHEN)) continue;
    if (runLength(runs, index + 1) !== 2 || !joinedBy(text, runs, index + 1, HYPHEN) || runLength(runs, index + 2) !== 4) continue;
    const start = runs.starts[index];
    const end = runs.ends[index + 2];
    const before = text.charCodeAt(start - 1);
    const after = text.charCodeAt(end);
    // Part of a longer dashed or dotted number (a phone, a part number) is not an SSN.
    if (isWordCharacter(before) || ((before === HYPHEN || before === DOT) && isDigit(text.charCodeAt(start - 2)))) continue;
    if (isWordCharacter(after) || ((after === HYPHEN || after === DOT) && isDigit(text.charCodeAt(end + 1)))) continue;
    const area = Number(text.slice(start, start + 3));
    const group = Number(text.slice(start + 4, start + 6));
    const serial = Number(text.slice(start + 7, end));
    if (isPlausibleUsSsn(area, group, serial)) report(start, end);
  }
}
