export { detectPii } from './detect-pii';
export { normalizeValue, redact, type RedactOptions, type RedactResult } from './redact';
export {
  PII_ACTIONS,
  PII_DETECTORS,
  PLACEHOLDER_LABELS,
  actionStrictness,
  isPiiAction,
  isPiiDetector,
  stricterAction,
  type PiiAction,
  type PiiActions,
  type PiiDetector,
  type PiiFinding,
} from './pii-detectors';
export { isIbanChecksumValid, isLuhnValid, isValidCnResidentId } from './detectors/checksums';
