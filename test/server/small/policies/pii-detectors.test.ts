import { describe, expect, it } from 'vitest';
import { detectPii, type PiiDetector } from '../../../../server/src/modules/policies/pii';

/** The values one detector finds in a text, as substrings. */
function found(detector: PiiDetector, text: string): string[] {
  return detectPii(text, [detector]).map((finding) => text.slice(finding.start, finding.end));
}

describe('email', () => {
  it('finds addresses in English and Chinese text, without the sentence punctuation', () => {
    expect(found('email', 'Write to alice@example.com.')).toEqual(['alice@example.com']);
    expect(found('email', 'Mail Bob.Smith+claims@mail.example.co.uk, then call.')).toEqual(['Bob.Smith+claims@mail.example.co.uk']);
    expect(found('email', '请联系张三：zhang.san@company.cn。谢谢')).toEqual(['zhang.san@company.cn']);
    expect(found('email', '邮箱zhangsan@qq.com联系')).toEqual(['zhangsan@qq.com']);
  });

  it('ignores look-alikes', () => {
    expect(found('email', 'handles like @alice, user@localhost, a@b.c, x@-bad.com, x@bad-.com, john.@x.com')).toEqual([]);
    expect(found('email', 'decorators: @Injectable() and npm scopes @nestjs/core')).toEqual([]);
    expect(found('email', 'version 1.2@3.4 and foo@bar.123')).toEqual([]);
  });
});

describe('phone', () => {
  it('finds mainland China mobiles with and without +86 and spacing', () => {
    expect(found('phone', '手机：13800138000，备用 +86 139 1234 5678。')).toEqual(['13800138000', '+86 139 1234 5678']);
    expect(found('phone', 'Call +86-138-0013-8000 or 0086 13800138000 or (+86) 15912345678')).toEqual([
      '+86-138-0013-8000',
      '0086 13800138000',
      '(+86) 15912345678',
    ]);
    expect(found('phone', '电话138 0013 8000联系')).toEqual(['138 0013 8000']);
  });

  it('finds international (E.164) and North American numbers', () => {
    expect(found('phone', 'UK office +44 20 7946 0958; US +1 (415) 555-2671; DE +4930123456')).toEqual([
      '+44 20 7946 0958',
      '+1 (415) 555-2671',
      '+4930123456',
    ]);
    expect(found('phone', 'desk (415) 555-2671 or 415-555-2671 or 415.555.2671')).toEqual([
      '(415) 555-2671',
      '415-555-2671',
      '415.555.2671',
    ]);
  });

  it('stops a +86 number where the mobile ends', () => {
    expect(found('phone', '+86 138 0013 8000 12 apples')).toEqual(['+86 138 0013 8000']);
  });

  it('ignores look-alikes: wrong prefix, wrong length, dates, longer numbers, too few digits', () => {
    expect(found('phone', '12800138000 1380013800 138001380001 order13800138000')).toEqual([]);
    expect(found('phone', 'on 2026-01-31 at 10:30, total 3+4=7, code +12345')).toEqual([]);
    expect(found('phone', '订单号 20260131123456 金额 1000')).toEqual([]);
    expect(found('phone', '(115) 555-2671 and 415-155-2671 are not NANP numbers')).toEqual([]);
  });
});

describe('cn_resident_id', () => {
  it('finds 18-character IDs with a right check character and a real birth date', () => {
    expect(found('cn_resident_id', '身份证号：11010519491231002X，另一个 440306199003074513。')).toEqual([
      '11010519491231002X',
      '440306199003074513',
    ]);
    expect(found('cn_resident_id', 'ID 11010519491231002x and grouped 440306 19900307 4513')).toEqual([
      '11010519491231002x',
      '440306 19900307 4513',
    ]);
    expect(found('cn_resident_id', 'leap day 310115198802291233')).toEqual(['310115198802291233']);
  });

  it('rejects a wrong check character, an impossible date, a bad region, and longer numbers', () => {
    expect(found('cn_resident_id', '11010519491231002Y 110105194912310021 440306199003074514')).toEqual([]);
    // Right check characters, but 1989-02-29, month 13, region 9 and the year 1849 do not pass.
    expect(found('cn_resident_id', '310115198902291230 110105194913310021 910105194912310029 110105184912310020')).toEqual([]);
    expect(found('cn_resident_id', '1440306199003074513 ID44030619900307451X3')).toEqual([]);
  });
});

describe('bank_card', () => {
  it('finds Luhn-valid card numbers, whole, spaced or dashed', () => {
    expect(found('bank_card', 'Visa 4111 1111 1111 1111, MC 5200828282828210, Amex 3782-822463-10005.')).toEqual([
      '4111 1111 1111 1111',
      '5200828282828210',
      '3782-822463-10005',
    ]);
    expect(found('bank_card', '银行卡号：6222 0212 3456 7890 128，请核对')).toEqual(['6222 0212 3456 7890 128']);
    expect(found('bank_card', 'card 4111-1111-1111-1111 2026')).toEqual(['4111-1111-1111-1111']);
  });

  it('rejects a wrong check digit, mixed separators, timestamps and resident IDs', () => {
    expect(found('bank_card', '4111 1111 1111 1112 and 4111 1111-1111 1111')).toEqual([]);
    // 13-digit millisecond timestamp that passes Luhn: first digit 1 is no card network.
    expect(found('bank_card', 'at 1767225600008 ms')).toEqual([]);
    expect(found('bank_card', 'ID 440306199003074513 is a resident ID even if it passes Luhn')).toEqual([]);
  });
});

describe('us_ssn', () => {
  it('finds dashed SSNs with valid area, group and serial', () => {
    expect(found('us_ssn', 'SSN 123-45-6789; spouse 536-22-1234.')).toEqual(['123-45-6789', '536-22-1234']);
    expect(found('us_ssn', '社会安全号 123-45-6789')).toEqual(['123-45-6789']);
  });

  it('rejects impossible areas, groups, serials, voided numbers and longer dashed numbers', () => {
    expect(found('us_ssn', '000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000 078-05-1120')).toEqual([]);
    expect(found('us_ssn', 'part 1-123-45-6789 and 123-45-6789-0 and 123456789')).toEqual([]);
  });
});

describe('iban', () => {
  it('finds IBANs printed in groups or electronic, mod-97 valid', () => {
    expect(found('iban', 'Pay to DE89 3704 0044 0532 0130 00 or GB29NWBK60161331926819.')).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'GB29NWBK60161331926819',
    ]);
    expect(found('iban', '收款账户：FR1420041010050500013M02606，谢谢')).toEqual(['FR1420041010050500013M02606']);
  });

  it('rejects a wrong check, a wrong length and unknown countries', () => {
    expect(found('iban', 'DE88 3704 0044 0532 0130 00 and DE89370400440532013000 1 and GB29NWBK6016133192681')).toEqual(['DE89370400440532013000']);
    expect(found('iban', 'ZZ89370400440532013000 DE8937040044053201300')).toEqual([]);
  });
});

describe('ip_address', () => {
  it('finds IPv4 and IPv6 in their usual forms', () => {
    expect(found('ip_address', 'from 192.168.1.10, gateway 10.0.0.1.')).toEqual(['192.168.1.10', '10.0.0.1']);
    expect(found('ip_address', 'v6 2001:db8::8a2e:370:7334 and ::1 and fe80::1 and 2001:0db8:0000:0000:0000:ff00:0042:8329')).toEqual([
      '2001:db8::8a2e:370:7334',
      '::1',
      'fe80::1',
      '2001:0db8:0000:0000:0000:ff00:0042:8329',
    ]);
    expect(found('ip_address', '客户端地址：[::ffff:192.0.2.128]:8080')).toEqual(['::ffff:192.0.2.128']);
  });

  it('rejects out-of-range octets, leading zeros, versions, times and MAC addresses', () => {
    expect(found('ip_address', '256.1.1.1 01.02.03.04 1.2.3.4.5 v1.2.3.4')).toEqual([]);
    expect(found('ip_address', 'at 12:30:45, mac 00:1a:2b:3c:4d:5e, std::vector, dead::beef, 1:2:3:4:5:6:7:8:9')).toEqual([]);
  });
});

describe('secret', () => {
  const openAi = 'sk-proj-TESTabc123def456ghi789jkl012mno345';
  const anthropic = 'sk-ant-api03-TEST_0123456789abcdefghijKLMNOP-xyz';
  const github = 'ghp_TEST0123456789abcdefghijklmnopqrstuv';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

  it('finds vendor keys, tokens, JWTs, bearer credentials and PEM private keys', () => {
    expect(found('secret', `OPENAI_API_KEY=${openAi}\nANTHROPIC_API_KEY="${anthropic}"`)).toEqual([openAi, anthropic]);
    expect(found('secret', `aws AKIAIOSFODNN7EXAMPLE github ${github} pat github_pat_11TEST0123456789_abcdefghijklmn`)).toEqual([
      'AKIAIOSFODNN7EXAMPLE',
      github,
      'github_pat_11TEST0123456789_abcdefghijklmn',
    ]);
    expect(found('secret', 'slack xoxb-1234567890-abcdefghij token')).toEqual(['xoxb-1234567890-abcdefghij']);
    expect(found('secret', `Authorization: Bearer ${jwt}`)).toEqual([jwt]);
    expect(found('secret', '请求头 Authorization: Bearer abcdef0123456789ABCDEF')).toEqual(['abcdef0123456789ABCDEF']);
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----';
    expect(found('secret', `key:\n${pem}\nthanks`)).toEqual([pem]);
  });

  it('covers a private key cut off before its END line', () => {
    const text = 'log: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n... truncated';
    expect(found('secret', text)).toEqual(['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n']);
  });

  it('ignores look-alikes: prose after sk-, words ending in sk-, short tokens, public keys and certificates', () => {
    expect(found('secret', 'sk-this-is-not-a-real-key-at-all task-0123456789abcdefghij0123 sk-short1')).toEqual([]);
    expect(found('secret', 'AKIAIOSFODNN7EXAMPLE1 ghp_tooShort123 Bearer token and bearer authentication')).toEqual([]);
    expect(found('secret', '-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\n-----END PUBLIC KEY-----')).toEqual([]);
    expect(found('secret', 'eyJ is how {" starts in base64; eyJhbGciOiJIUzI1NiJ9 alone is no token')).toEqual([]);
  });
});

describe('detectPii', () => {
  it('reports UTF-16 offsets into the original text, also after characters outside the BMP', () => {
    const text = '😀 邮箱 alice@example.com';
    const [finding] = detectPii(text, ['email']);
    expect(finding).toEqual({ detector: 'email', start: 6, end: 23 });
    expect(text.slice(finding.start, finding.end)).toBe('alice@example.com');
  });

  it('runs every detector by default and sorts findings by position', () => {
    const text = 'Alice (alice@example.com, +86 138 0013 8000) paid with 4111 1111 1111 1111 from 10.0.0.1';
    expect(detectPii(text).map((finding) => finding.detector)).toEqual(['email', 'phone', 'bank_card', 'ip_address']);
  });

  it('merges overlapping spans of one detector into one finding', () => {
    // The international and the China-mobile shapes both match; one phone is reported.
    expect(detectPii('+86 13800138000', ['phone'])).toEqual([{ detector: 'phone', start: 0, end: 15 }]);
  });
});
