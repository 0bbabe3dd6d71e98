import { scanBankCards } from './detectors/bank-card';
import { scanCnResidentIds } from './detectors/cn-resident-id';
import { scanEmails } from './detectors/email';
import { scanIbans } from './detectors/iban';
import { scanIpAddresses } from './detectors/ip-address';
import { scanPhones } from './detectors/phone';
import { ScanText, type Scanner } from './detectors/scan-text';
import { scanSecrets } from './detectors/secret';
import { scanUsSsns } from './detectors/us-ssn';
import { PII_DETECTORS, type PiiDetector, type PiiFinding } from './pii-detectors';

const SCANNERS: Readonly<Record<PiiDetector, Scanner>> = {
  email: scanEmails,
  phone: scanPhones,
  cn_resident_id: scanCnResidentIds,
  bank_card: scanBankCards,
  us_ssn: scanUsSsns,
  iban: scanIbans,
  ip_address: scanIpAddresses,
  secret: scanSecrets,
};

/**
 * Runs the given detectors (all by default) over a text. Linear in the text's length: hand-written scanners, no
 * backtracking regular expressions over user text. Overlapping spans of one detector are merged into one finding;
 * findings of different detectors may overlap (the caller decides, see `redact`). Sorted by start, longest first.
 * Offsets are UTF-16 code units (JavaScript string indices) into `text`.
 */
export function detectPii(text: string, detectors: Iterable<PiiDetector> = PII_DETECTORS): PiiFinding[] {
  const wanted = new Set(detectors);
  const scan = new ScanText(text);
  const findings: PiiFinding[] = [];
  for (const detector of PII_DETECTORS) {
    if (!wanted.has(detector)) continue;
    const spans: Array<[number, number]> = [];
    SCANNERS[detector](scan, (start, end) => spans.push([start, end]));
    spans.sort((first, second) => first[0] - second[0] || second[1] - first[1]);
    let current: PiiFinding | undefined;
    for (const [start, end] of spans) {
      if (current && start < current.end) {
        current.end = Math.max(current.end, end);
        continue;
      }
      current = { detector, start, end };
      findings.push(current);
    }
  }
  const order = (detector: PiiDetector) => PII_DETECTORS.indexOf(detector);
  return findings.sort((first, second) => first.start - second.start || second.end - first.end || order(first.detector) - order(second.detector));
}
