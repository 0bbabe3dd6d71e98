// Character classes on UTF-16 code units. charCodeAt outside the string is NaN, which every test here rejects, so
// callers may look one position past either end without bounds checks.

export const PLUS = 43;
export const HYPHEN = 45;
export const DOT = 46;
export const COLON = 58;
export const SPACE = 32;
export const NO_BREAK_SPACE = 0xa0;
export const OPEN_PARENTHESIS = 40;
export const CLOSE_PARENTHESIS = 41;
export const UNDERSCORE = 95;

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpperLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isAsciiLetter(code: number): boolean {
  return isUpperLetter(code) || isLowerLetter(code);
}

export function isAsciiAlphanumeric(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code);
}

/**
 * A character that continues an ASCII word. A finding must not be glued to one on either side ("ID4111…" is not a
 * card); Chinese characters are not word characters here, so "手机13800138000" still finds the number.
 */
export function isWordCharacter(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === UNDERSCORE;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

export function isSpaceSeparator(code: number): boolean {
  return code === SPACE || code === NO_BREAK_SPACE;
}

/** Base64url, as in JWT segments and most API tokens. */
export function isTokenCharacter(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === HYPHEN || code === UNDERSCORE;
}
