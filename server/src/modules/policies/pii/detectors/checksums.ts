// The check digits that tell personal data from look-alikes. Each works on plain strings of the value's
// characters (separators already removed).

/** Luhn (ISO/IEC 7812) over a string of digits. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK_CHARACTERS = '10X98765432';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day <= days;
}

/**
 * A mainland China resident identity number (GB 11643-1999): 17 digits and a check character (0-9 or X) by
 * ISO 7064 MOD 11-2, a region code starting 1-8, and a birth date YYYYMMDD that exists, between 1900 and 2099 (no
 * clock here, so "not in the future" is left to the century).
 */
export function isValidCnResidentId(value: string): boolean {
  if (value.length !== 18) return false;
  const region = value.charCodeAt(0) - 48;
  if (region < 1 || region > 8) return false;
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    sum += digit * RESIDENT_ID_WEIGHTS[index];
  }
  const check = value[17].toUpperCase();
  if (check !== RESIDENT_ID_CHECK_CHARACTERS[sum % 11]) return false;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  return year >= 1900 && year <= 2099 && isCalendarDate(year, month, day);
}

/** IBAN check (ISO 13616): the first four characters moved to the end, letters as 10..35, the number mod 97 is 1. */
export function isIbanChecksumValid(compact: string): boolean {
  let remainder = 0;
  const length = compact.length;
  for (let step = 0; step < length; step += 1) {
    const code = compact.charCodeAt((step + 4) % length);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/**
 * A US Social Security number's structure (SSA rules since 2011 randomisation still exclude these): area not 000,
 * 666 or 900-999; group not 00; serial not 0000; and the two numbers the SSA voided after they were printed in
 * advertising (078-05-1120, 219-09-9999).
 */
export function isPlausibleUsSsn(area: number, group: number, serial: number): boolean {
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (area === 78 && group === 5 && serial === 1120) return false;
  if (area === 219 && group === 9 && serial === 9999) return false;
  return true;
}
