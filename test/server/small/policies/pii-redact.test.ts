import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PII_DETECTORS, redact, type PiiActions } from '../../../../server/src/modules/policies/pii';

const everyDetectorMasked: PiiActions = Object.fromEntries(PII_DETECTORS.map((detector) => [detector, 'mask']));
const HASH_KEY = 'test-hash-key-0123456789abcdef';

describe('redact', () => {
  it('masks with typed placeholders, one per distinct value, numbered per type in order of appearance', () => {
    const text = 'alice@example.com wrote to bob@example.com; cc Alice@Example.com. Call 13800138000 or +86 138 0013 8000 or +44 20 7946 0958.';
    const result = redact(text, { email: 'mask', phone: 'mask' });
    expect(result.text).toBe('[EMAIL_1] wrote to [EMAIL_2]; cc [EMAIL_1]. Call [PHONE_1] or [PHONE_1] or [PHONE_2].');
    expect(result.counts).toEqual({ email: 3, phone: 3 });
    expect(result.blocked).toBe(false);
    expect(result.action).toBe('mask');
    expect(result.findings[0]).toEqual({ detector: 'email', start: 0, end: 17 });
  });

  it('masks Chinese text and keeps everything around the findings', () => {
    const result = redact('客户张三，身份证11010519491231002X，手机138 0013 8000，卡号6222 0212 3456 7890 128。', everyDetectorMasked);
    expect(result.text).toBe('客户张三，身份证[CN_RESIDENT_ID_1]，手机[PHONE_1]，卡号[BANK_CARD_1]。');
  });

  it('hashes with a keyed HMAC so equal values match across texts without revealing them', () => {
    const first = redact('card 4111 1111 1111 1111', { bank_card: 'hash' }, { hashKey: HASH_KEY });
    const second = redact('again 4111-1111-1111-1111!', { bank_card: 'hash' }, { hashKey: HASH_KEY });
    const expectedDigest = createHmac('sha256', HASH_KEY).update('bank_card:4111111111111111').digest('hex').slice(0, 16);
    expect(first.text).toBe(`card [BANK_CARD:${expectedDigest}]`);
    expect(second.text).toBe(`again [BANK_CARD:${expectedDigest}]!`);
    const otherKey = redact('card 4111 1111 1111 1111', { bank_card: 'hash' }, { hashKey: 'another-key' });
    expect(otherKey.text).not.toBe(first.text);
    expect(first.action).toBe('hash');
  });

  it('refuses to hash without a key rather than hashing with none', () => {
    expect(() => redact('a@example.com', { email: 'hash' })).toThrow(/needs a hash key/);
  });

  it('blocks: reports blocked and still masks the blocked span so the preview is safe to show', () => {
    const result = redact('ID 11010519491231002X mail a@example.com', { cn_resident_id: 'block', email: 'allow' });
    expect(result).toMatchObject({ blocked: true, action: 'block', text: 'ID [CN_RESIDENT_ID_1] mail a@example.com' });
    expect(result.counts).toEqual({ cn_resident_id: 1, email: 1 });
  });

  it('allow reports findings and counts but leaves the text unchanged', () => {
    const text = 'server 10.0.0.1 answered';
    expect(redact(text, { ip_address: 'allow' })).toEqual({
      text,
      findings: [{ detector: 'ip_address', start: 7, end: 15 }],
      blocked: false,
      action: 'allow',
      counts: { ip_address: 1 },
    });
  });

  it('runs only the detectors named in the actions', () => {
    const result = redact('a@example.com 10.0.0.1', { ip_address: 'mask' });
    expect(result.text).toBe('a@example.com [IP_ADDRESS_1]');
    expect(result.findings.map((finding) => finding.detector)).toEqual(['ip_address']);
  });

  it('takes the strictest action over overlapping findings of different detectors, over their whole span', () => {
    // The bearer credential contains an IPv4 address: the secret and the IP overlap.
    const text = 'Authorization: Bearer 192.168.100.200/abcdefgh';
    const masked = redact(text, { secret: 'mask', ip_address: 'allow' });
    expect(masked.text).toBe('Authorization: Bearer [SECRET_1]');
    const blocked = redact(text, { secret: 'hash', ip_address: 'block' }, { hashKey: HASH_KEY });
    expect(blocked.blocked).toBe(true);
    expect(blocked.text).toBe('Authorization: Bearer [IP_ADDRESS_1]');
    expect(blocked.counts).toEqual({ secret: 1, ip_address: 1 });
  });

  it('answers the text unchanged when nothing is found', () => {
    expect(redact('nothing personal here, 2026-01-31 10:30', everyDetectorMasked)).toEqual({
      text: 'nothing personal here, 2026-01-31 10:30',
      findings: [],
      blocked: false,
      action: 'allow',
      counts: {},
    });
  });
});
