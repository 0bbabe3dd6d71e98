import { describe, expect, it } from 'vitest';
import { PII_DETECTORS, redact, type PiiActions } from '../../../../server/src/modules/policies/pii';

const everyDetectorMasked: PiiActions = Object.fromEntries(PII_DETECTORS.map((detector) => [detector, 'mask']));
const ONE_MEGABYTE = 1 << 20;

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * Inputs shaped to make a backtracking matcher (or a scanner that restarts at every candidate) quadratic. A linear
 * scanner handles each megabyte in tens of milliseconds (about a second on a machine shared ten ways); a quadratic
 * pass over 1 MB takes minutes. The bound sits far from both, so it fails for super-linear behaviour only.
 */
const pathologicalInputs: Record<string, string> = {
  'at signs': repeatTo('a@', ONE_MEGABYTE),
  'local part then at signs': repeatTo('a', ONE_MEGABYTE / 2) + repeatTo('@a', ONE_MEGABYTE / 2),
  'long domain-like run': `x@${repeatTo('a.', ONE_MEGABYTE)}`,
  'single digits and spaces': repeatTo('4 ', ONE_MEGABYTE),
  'digit groups': repeatTo('4111 ', ONE_MEGABYTE),
  'one long digit run': repeatTo('7', ONE_MEGABYTE),
  'dotted digits': repeatTo('1.', ONE_MEGABYTE),
  'dashed digits': repeatTo('123-', ONE_MEGABYTE),
  'plus signs and digits': repeatTo('+1 ', ONE_MEGABYTE),
  colons: repeatTo(':', ONE_MEGABYTE),
  'hex and colons': repeatTo('a:', ONE_MEGABYTE),
  'repeated sk- prefix': repeatTo('sk-', ONE_MEGABYTE),
  'repeated JWT header': repeatTo('eyJ.', ONE_MEGABYTE),
  'repeated bearer': repeatTo('Bearer ', ONE_MEGABYTE),
  'PEM BEGIN without END': repeatTo('-----BEGIN PRIVATE KEY-----\n', ONE_MEGABYTE),
  'PEM labels without dashes': repeatTo('-----BEGIN x', ONE_MEGABYTE),
  'country codes and digits': repeatTo('DE89 ', ONE_MEGABYTE),
  'Chinese text': repeatTo('这是一段很长的中文文本，没有个人信息。', ONE_MEGABYTE),
};

describe('redact on pathological 1 MB inputs', () => {
  for (const [name, text] of Object.entries(pathologicalInputs)) {
    it(`finishes quickly: ${name}`, () => {
      const started = performance.now();
      const result = redact(text, everyDetectorMasked);
      const elapsed = performance.now() - started;
      expect(result.text.length).toBeGreaterThan(0);
      expect(elapsed).toBeLessThan(10_000);
    });
  }
});
