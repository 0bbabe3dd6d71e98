/** The personal-data detectors a policy can name, and the actions it can take on what they find. */
export const PII_DETECTORS = [
  'email',
  'phone',
  'cn_resident_id',
  'bank_card',
  'us_ssn',
  'iban',
  'ip_address',
  'secret',
] as const;
export type PiiDetector = (typeof PII_DETECTORS)[number];

/** Ordered from the most lenient to the strictest: when findings overlap, the later one wins. */
export const PII_ACTIONS = ['allow', 'hash', 'mask', 'block'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

/** Which action each detector takes; a detector left out is not run. */
export type PiiActions = Readonly<Partial<Record<PiiDetector, PiiAction>>>;

/**
 * One piece of personal data found in a text. `start` and `end` (exclusive) are offsets into the original text in
 * UTF-16 code units, i.e. JavaScript string indices: `text.slice(start, end)` is the value.
 */
export interface PiiFinding {
  detector: PiiDetector;
  start: number;
  end: number;
}

const detectorSet: ReadonlySet<string> = new Set(PII_DETECTORS);
const actionSet: ReadonlySet<string> = new Set(PII_ACTIONS);

export function isPiiDetector(value: unknown): value is PiiDetector {
  return typeof value === 'string' && detectorSet.has(value);
}

export function isPiiAction(value: unknown): value is PiiAction {
  return typeof value === 'string' && actionSet.has(value);
}

/** 0 for `allow` up to 3 for `block`. */
export function actionStrictness(action: PiiAction): number {
  return PII_ACTIONS.indexOf(action);
}

export function stricterAction(first: PiiAction, second: PiiAction): PiiAction {
  return actionStrictness(second) > actionStrictness(first) ? second : first;
}

/** The type word inside a placeholder: `[EMAIL_1]`, `[BANK_CARD:3f9a…]`. */
export const PLACEHOLDER_LABELS: Readonly<Record<PiiDetector, string>> = {
  email: 'EMAIL',
  phone: 'PHONE',
  cn_resident_id: 'CN_RESIDENT_ID',
  bank_card: 'BANK_CARD',
  us_ssn: 'US_SSN',
  iban: 'IBAN',
  ip_address: 'IP_ADDRESS',
  secret: 'SECRET',
};
