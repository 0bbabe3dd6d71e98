import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditRowHash, canonicalAuditContent, canonicalJson, GENESIS_HASH, normalizeJson, type AuditRowContent } from '../../../../server/src/modules/audit/audit-hash';
import { redactSecrets, REDACTED } from '../../../../server/src/modules/audit/mutation-audit.interceptor';

const row: AuditRowContent = {
  sequence: '1',
  id: '7d9e6c1a-3f0b-4c55-9a59-0c1f7e0d2b11',
  at: new Date('2026-03-01T12:34:56.789Z'),
  action: 'policy.update',
  actor: 'user:admin@example.com',
  actorRole: 'admin',
  targetType: 'policy',
  targetId: 'claims',
  team: 'claims',
  before: null,
  after: { name: 'claims', quotas: [{ limit: '500.00' }] },
  details: { change: 'create', version: 1 },
  prevId: null,
  prevHash: GENESIS_HASH,
};

describe('canonical audit hashing', () => {
  it('writes objects with sorted keys at every depth and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"y":"x","z":null}]},"b":1}');
  });

  it('does not depend on key order (jsonb does not keep it)', () => {
    const reordered: AuditRowContent = { ...row, after: { quotas: [{ limit: '500.00' }], name: 'claims' }, details: { version: 1, change: 'create' } };
    expect(auditRowHash(reordered)).toBe(auditRowHash(row));
  });

  it('is SHA-256 in lower-case hex of the canonical content, which includes the previous hash', () => {
    const expected = createHash('sha256').update(canonicalAuditContent(row), 'utf8').digest('hex');
    expect(auditRowHash(row)).toBe(expected);
    expect(auditRowHash(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalAuditContent(row)).toContain(`"prevHash":"${GENESIS_HASH}"`);
    expect(canonicalAuditContent(row)).toContain('"at":"2026-03-01T12:34:56.789Z"');
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('changes with any field: content, time, sequence, actor, previous hash or id', () => {
    const base = auditRowHash(row);
    const variants: AuditRowContent[] = [
      { ...row, details: { change: 'create', version: 2 } },
      { ...row, after: { name: 'claims', quotas: [{ limit: '500.0' }] } },
      { ...row, at: new Date(row.at.getTime() + 1) },
      { ...row, sequence: '2' },
      { ...row, actor: 'user:mallory@example.com' },
      { ...row, actorRole: null },
      { ...row, team: null },
      { ...row, prevHash: 'f'.repeat(64) },
      { ...row, prevId: '00000000-0000-0000-0000-000000000000' },
      { ...row, before: {} },
    ];
    for (const variant of variants) expect(auditRowHash(variant)).not.toBe(base);
  });

  it('normalizes values to what jsonb gives back: no undefined, dates as text, bigints as text, NUL and lone surrogates replaced', () => {
    expect(normalizeJson(undefined)).toBeNull();
    expect(normalizeJson({ a: undefined, b: new Date('2026-01-01T00:00:00Z'), c: 10n, d: 'x\u0000y', e: 'a\uD800b', f: '\u{1F600}' })).toEqual({
      b: '2026-01-01T00:00:00.000Z',
      c: '10',
      d: 'x\uFFFDy',
      e: 'a\uFFFDb',
      f: '\u{1F600}',
    });
  });
});

describe('mutation arguments as the audit log records them', () => {
  it('redacts passwords, secrets, tokens and API keys at any depth, and keeps the rest', () => {
    const args = { email: 'a@example.com', password: 'p4ss', input: { name: 'n', apiKey: 'sk-123', nested: [{ clientSecret: 's', token: 't' }] }, teams: ['claims'] };
    expect(redactSecrets(args)).toEqual({
      email: 'a@example.com',
      password: REDACTED,
      input: { name: 'n', apiKey: REDACTED, nested: [{ clientSecret: REDACTED, token: REDACTED }] },
      teams: ['claims'],
    });
  });
});
