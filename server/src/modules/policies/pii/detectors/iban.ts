import { isDigit, isSpaceSeparator, isUpperLetter, isWordCharacter } from './characters';
import { runLength, type ReportSpan, type ScanText } from './scan-text';

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30,
  KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20,
  MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22,
  RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

function isIbanCharacter(code: number): boolean {
  return isDigit(code) || isUpperLetter(code);
}

/**
 * IBANs, electronic ("DE89370400440532013000") or printed in groups ("DE89 3704 0044 0532 0130 00"): a known
 * country code, that country's length, and the mod-97 check. Found from the digit run of the two check digits.
 */
export function scanIbans(scan: ScanText, report: ReportSpan): void {
  const { text } = scan;
  const runs = scan.digitRuns();
  for (let index = 0; index < runs.count; index += 1) {
    const start = runs.starts[index] - 2;
    if (runLength(runs, index) < 2 || !isUpperLetter(text.charCodeAt(start)) || !isUpperLetter(text.charCodeAt(start + 1))) continue;
    if (isWordCharacter(text.charCodeAt(start - 1))) continue;
    const expectedLength = IBAN_LENGTHS[text.slice(start, start + 2)];
    if (expectedLength === undefined) continue;
    // Walk the characters (single spaces allowed between them) without building a string: this runs for every
    // two-letters-two-digits look-alike in the text.
    let collected = 0;
    let position = start;
    while (collected < expectedLength && position < text.length) {
      const code = text.charCodeAt(position);
      if (isIbanCharacter(code)) {
        collected += 1;
        position += 1;
      } else if (isSpaceSeparator(code) && collected >= 4 && isIbanCharacter(text.charCodeAt(position + 1))) {
        position += 1;
      } else {
        break;
      }
    }
    if (collected !== expectedLength || isWordCharacter(text.charCodeAt(position))) continue;
    const checkDigits = (text.charCodeAt(start + 2) - 48) * 10 + (text.charCodeAt(start + 3) - 48);
    if (checkDigits < 2 || checkDigits > 98 || ibanRemainder(text, start, position) !== 1) continue;
    report(start, position);
    while (index + 1 < runs.count && runs.starts[index + 1] < position) index += 1;
  }
}

/** ISO 13616 mod 97 over text[start, end) minus spaces: the first four characters count last, letters as 10-35. */
function ibanRemainder(text: string, start: number, end: number): number {
  let remainder = 0;
  const add = (code: number) => {
    remainder = isDigit(code) ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
  };
  for (let position = start + 4; position < end; position += 1) {
    const code = text.charCodeAt(position);
    if (!isSpaceSeparator(code)) add(code);
  }
  for (let position = start; position < start + 4; position += 1) add(text.charCodeAt(position));
  return remainder;
}
