import { createHmac } from 'node:crypto';
import { detectPii } from './detect-pii';
import {
  PLACEHOLDER_LABELS,
  actionStrictness,
  type PiiAction,
  type PiiActions,
  type PiiDetector,
  type PiiFinding,
} from './pii-detectors';

export interface RedactOptions {
  /** Key of the `hash` action's HMAC; required when any detector is set to `hash`. */
  hashKey?: string | Uint8Array;
}

export interface RedactResult {
  /** The text with every non-`allow` finding replaced; when `blocked`, blocked spans are masked too (safe to show). */
  text: string;
  /** Every finding of every detector that ran, `allow` included, as offsets into the original text. */
  findings: PiiFinding[];
  /** Some finding's detector is set to `block`: the text must not be sent or stored. */
  blocked: boolean;
  /** The strictest action taken on this text (`allow` when nothing was found or everything found is allowed). */
  action: PiiAction;
  /** How many findings each detector made: what a stored request records, never the values. */
  counts: Partial<Record<PiiDetector, number>>;
}

/** Hex characters of HMAC-SHA256 kept in a hash placeholder: 64 bits, enough to match values, useless to reverse. */
const HASH_HEX_CHARACTERS = 16;

/**
 * Applies a policy's per-detector actions to a text. Detectors absent from `actions` do not run. Overlapping
 * findings form one span and the strictest action among them wins (block > mask > hash > allow), named after the
 * detector that set it. `mask` writes typed placeholders numbered per type in order of appearance ("[EMAIL_1]",
 * "[PHONE_2]"), the same value getting the same placeholder within the text; `hash` writes "[EMAIL:<16 hex>]", a
 * keyed HMAC-SHA256 of the normalised value, so equal values match across texts without revealing them.
 */
export function redact(text: string, actions: PiiActions, options: RedactOptions = {}): RedactResult {
  const detectors = (Object.keys(actions) as PiiDetector[]).filter((detector) => actions[detector] !== undefined);
  const findings = detectPii(text, detectors);
  const counts: Partial<Record<PiiDetector, number>> = {};
  for (const finding of findings) counts[finding.detector] = (counts[finding.detector] ?? 0) + 1;
  if (findings.length === 0) return { text, findings, blocked: false, action: 'allow', counts };

  const placeholders = new PlaceholderBook(options.hashKey);
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let strictest: PiiAction = 'allow';
  for (let first = 0; first < findings.length; ) {
    // One cluster: findings that overlap the first one or one another.
    let end = findings[first].end;
    let last = first;
    let winner = findings[first];
    let winnerAction = actions[winner.detector]!;
    while (last + 1 < findings.length && findings[last + 1].start < end) {
      last += 1;
      const candidate = findings[last];
      end = Math.max(end, candidate.end);
      const candidateAction = actions[candidate.detector]!;
      if (actionStrictness(candidateAction) > actionStrictness(winnerAction)) {
        winner = candidate;
        winnerAction = candidateAction;
      }
    }
    const start = findings[first].start;
    if (actionStrictness(winnerAction) > actionStrictness(strictest)) strictest = winnerAction;
    if (winnerAction !== 'allow') {
      pieces.push(text.slice(copiedUpTo, start), placeholders.placeholderFor(winner.detector, winnerAction, text.slice(start, end)));
      copiedUpTo = end;
    }
    first = last + 1;
  }
  pieces.push(text.slice(copiedUpTo));
  return { text: pieces.join(''), findings, blocked: strictest === 'block', action: strictest, counts };
}

class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly numbers = new Map<PiiDetector, number>();

  constructor(private readonly hashKey: string | Uint8Array | undefined) {}

  placeholderFor(detector: PiiDetector, action: PiiAction, value: string): string {
    const normalized = normalizeValue(detector, value);
    const kind = action === 'hash' ? 'hash' : 'mask';
    const bookKey = `${kind}\u0000${detector}\u0000${normalized}`;
    const known = this.byValue.get(bookKey);
    if (known !== undefined) return known;
    const label = PLACEHOLDER_LABELS[detector];
    let placeholder: string;
    if (kind === 'hash') {
      if (this.hashKey === undefined) throw new TypeError(`the hash action (detector ${detector}) needs a hash key`);
      const digest = createHmac('sha256', this.hashKey).update(`${detector}:${normalized}`).digest('hex');
      placeholder = `[${label}:${digest.slice(0, HASH_HEX_CHARACTERS)}]`;
    } else {
      const number = (this.numbers.get(detector) ?? 0) + 1;
      this.numbers.set(detector, number);
      placeholder = `[${label}_${number}]`;
    }
    this.byValue.set(bookKey, placeholder);
    return placeholder;
  }
}

/**
 * The form in which two writings of one value compare equal: "+86 138 0013 8000" and "13800138000" are one phone,
 * "Alice@Example.com" and "alice@example.com" one address, "4111 1111 1111 1111" and "4111-1111-1111-1111" one card.
 */
export function normalizeValue(detector: PiiDetector, value: string): string {
  switch (detector) {
    case 'email':
    case 'ip_address':
      return value.toLowerCase();
    case 'phone': {
      const digits = value.replace(/[^0-9]/g, '');
      const chinaMobile = /^(?:0086|86)(1[3-9][0-9]{9})$/.exec(digits);
      return chinaMobile ? chinaMobile[1] : digits;
    }
    case 'cn_resident_id':
    case 'iban':
      return value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    case 'bank_card':
    case 'us_ssn':
      return value.replace(/[^0-9]/g, '');
    case 'secret':
      return value;
  }
}
