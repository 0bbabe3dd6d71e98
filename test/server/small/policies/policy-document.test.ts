import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import {
  canonicalPolicyJson,
  parsePolicyDocument,
  quotaLimitAmount,
  readPolicyText,
  samePolicyDocument,
  validatePolicyDocument,
  type PolicyDocument,
} from '../../../../server/src/modules/policies/document';

/** The example document of issue 7 §3, verbatim. */
const issueExample = {
  name: 'claims',
  scope: { team: 'claims' },
  models: { allowAll: false, allow: ['gpt-4o-mini', 'llama-3.*'], deny: ['*-preview'] },
  quotas: [{ name: 'monthly', metric: 'costUsd', limit: '500.00', period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'hard', models: ['gpt-4o*'] }],
  retention: { requestsDays: 180, contentDays: 30, scoresDays: 365, gpuDays: 90 },
  pii: { detectors: { email: 'mask', cn_resident_id: 'block' }, keepOnPremises: true },
};

function problemsOf(input: unknown, retentionFloorDays?: number): Record<string, string> {
  const result = validatePolicyDocument(input, { retentionFloorDays });
  if (result.ok) throw new Error('expected the document to be refused');
  return Object.fromEntries(result.problems.map((problem) => [problem.field, problem.message]));
}

describe('validatePolicyDocument', () => {
  it("accepts the issue's example and answers it in canonical form", () => {
    const result = validatePolicyDocument(issueExample);
    expect(result).toEqual({
      ok: true,
      document: { ...issueExample, quotas: [{ ...issueExample.quotas[0], limit: '500' }] },
    });
  });

  it('fills defaults: allowAll false, empty lists, no quotas, hard enforcement in UTC, keepOnPremises false', () => {
    const document = parsePolicyDocument({
      name: 'org-default',
      scope: { org: true },
      models: { allow: ['gpt-4o'] },
      quotas: [{ name: 'rpm', metric: 'requests', limit: 60, period: 'minute' }],
      pii: { detectors: {} },
    });
    expect(document).toEqual({
      name: 'org-default',
      scope: { org: true },
      models: { allowAll: false, allow: ['gpt-4o'], deny: [] },
      quotas: [{ name: 'rpm', metric: 'requests', limit: '60', period: 'minute', timeZone: 'UTC', enforcement: 'hard' }],
      pii: { detectors: {}, keepOnPremises: false },
    });
    expect(parsePolicyDocument({ name: 'n', scope: { node: 'gpu-01' } })).toEqual({ name: 'n', scope: { node: 'gpu-01' }, quotas: [] });
  });

  it('names every bad field at once', () => {
    const problems = problemsOf({
      name: 'bad name!',
      scope: { team: 'claims' },
      extra: 1,
      models: { allowAll: 'yes', allow: ['gpt-[4', ''], deny: ['!gpt-4'], only: [] },
      quotas: [
        { name: 'q1', metric: 'costUsd', limit: '-5', period: 'week', timeZone: 'Mars/Olympus', enforcement: 'maybe', color: 'red' },
        { name: 'q1', metric: 'tokens', limit: 'lots', period: 'day' },
        { name: 'q3', metric: 'dollars', limit: 1, period: 'day' },
      ],
      retention: { requestsDays: 30, contentDays: -1, auditDays: 10 },
      pii: { detectors: { email: 'scramble', fingerprint: 'mask' }, keepOnPremises: 'true' },
    });
    expect(Object.keys(problems).sort()).toEqual(
      [
        'name',
        'extra',
        'models.allowAll',
        'models.allow[0]',
        'models.allow[1]',
        'models.deny[0]',
        'models.only',
        'quotas[0].limit',
        'quotas[0].period',
        'quotas[0].timeZone',
        'quotas[0].enforcement',
        'quotas[0].color',
        'quotas[1].name',
        'quotas[1].limit',
        'quotas[2].metric',
        'retention.requestsDays',
        'retention.contentDays',
        'retention.auditDays',
        'pii.detectors.email',
        'pii.detectors.fingerprint',
        'pii.keepOnPremises',
      ].sort(),
    );
    expect(problems['quotas[0].limit']).toMatch(/must not be negative/);
    expect(problems['quotas[0].timeZone']).toMatch(/IANA time zone/);
    expect(problems['models.allow[0]']).toMatch(/not a valid glob/);
    expect(problems['pii.detectors.fingerprint']).toMatch(/unknown detector/);
    expect(problems['pii.detectors.email']).toMatch(/unknown action/);
    expect(problems['retention.requestsDays']).toMatch(/at least 180 days/);
    expect(problems['quotas[1].name']).toMatch(/duplicates/);
  });

  it('takes the retention floor as a parameter and applies it to requestsDays only', () => {
    expect(problemsOf({ ...issueExample, retention: { requestsDays: 365 } }, 400)).toEqual({
      'retention.requestsDays': 'must be at least 400 days (the retention floor, WARDEN_RETENTION_FLOOR_DAYS), got 365',
    });
    // Content, scores and GPU samples may be kept for less: the issue's own example keeps content 30 days.
    expect(validatePolicyDocument({ ...issueExample, retention: { requestsDays: 400, contentDays: 7 } }, { retentionFloorDays: 400 }).ok).toBe(true);
  });

  it('refuses a bad scope', () => {
    expect(problemsOf({ name: 'x', scope: { org: false } })).toEqual({ 'scope.org': 'must be true, got boolean false' });
    expect(Object.keys(problemsOf({ name: 'x', scope: { team: 'a', key: 'b' } }))).toEqual(['scope']);
    expect(Object.keys(problemsOf({ name: 'x', scope: { project: 'a' } }))).toEqual(['scope']);
    expect(Object.keys(problemsOf({ name: 'x', scope: { team: '' } }))).toEqual(['scope.team']);
    expect(Object.keys(problemsOf({ name: 'x' }))).toEqual(['scope']);
    expect(Object.keys(problemsOf([]))).toEqual(['']);
  });

  it('throws a validation DomainError carrying the problems', () => {
    try {
      parsePolicyDocument({ name: 'x', scope: { org: true }, quotas: [{ name: 'q', metric: 'tokens', limit: -1, period: 'day' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.Validation);
      expect((error as DomainError).message).toBe('invalid policy document: quotas[0].limit: must not be negative, got number -1');
      expect((error as DomainError).details).toEqual({ problems: [{ field: 'quotas[0].limit', message: 'must not be negative, got number -1' }] });
    }
  });
});

describe('quota limits', () => {
  const quota = (metric: string, limit: unknown) => ({ name: 'x', scope: { org: true }, quotas: [{ name: 'q', metric, limit, period: 'day' }] });

  it('keeps JSON numbers and decimal strings exact, cost in integer nano-USD', () => {
    const limitOf = (metric: string, limit: unknown) => {
      const [parsed] = parsePolicyDocument(quota(metric, limit)).quotas;
      return [parsed.limit, quotaLimitAmount(parsed)];
    };
    expect(limitOf('costUsd', '500.00')).toEqual(['500', 500_000_000_000n]);
    expect(limitOf('costUsd', 0.1)).toEqual(['0.1', 100_000_000n]);
    expect(limitOf('costUsd', '0.000000001')).toEqual(['0.000000001', 1n]);
    expect(limitOf('costUsd', '12345678901234.123456789')).toEqual(['12345678901234.123456789', 12345678901234123456789n]);
    expect(limitOf('tokens', 1e6)).toEqual(['1000000', 1_000_000n]);
    expect(limitOf('tokens', '2.50e3')).toEqual(['2500', 2500n]);
    expect(limitOf('requests', 0)).toEqual(['0', 0n]);
  });

  it('refuses fractional counts, sub-nano-dollar costs, non-numbers and absurd sizes', () => {
    expect(problemsOf(quota('tokens', 10.5))['quotas[0].limit']).toMatch(/whole number of tokens/);
    expect(problemsOf(quota('costUsd', '0.0000000001'))['quotas[0].limit']).toMatch(/nano-dollar/);
    expect(problemsOf(quota('requests', '12abc'))['quotas[0].limit']).toMatch(/number or a decimal string/);
    expect(problemsOf(quota('requests', true))['quotas[0].limit']).toMatch(/number or a decimal string/);
    expect(problemsOf(quota('costUsd', '1e30'))['quotas[0].limit']).toMatch(/at most/);
  });
});

describe('policy text (YAML for the CLI)', () => {
  it('reads YAML, keeping decimals exact', () => {
    const result = readPolicyText(
      [
        'name: claims',
        'scope: {team: claims}',
        'quotas:',
        '  - {name: daily, metric: costUsd, limit: 0.1, period: day, timeZone: Europe/Berlin}',
        '  - {name: huge, metric: costUsd, limit: 12345678901234.123456789, period: month}',
      ].join('\n'),
    );
    expect(result.ok && result.document.quotas.map((quota) => quota.limit)).toEqual(['0.1', '12345678901234.123456789']);
  });

  it('reads JSON text the same way', () => {
    const result = readPolicyText(JSON.stringify(issueExample));
    expect(result.ok && result.document.name).toBe('claims');
  });

  it('names syntax errors and duplicate keys', () => {
    const duplicate = readPolicyText('name: a\nname: b\nscope: {org: true}\n');
    expect(duplicate.ok).toBe(false);
    expect(!duplicate.ok && duplicate.problems[0].message).toMatch(/unique/);
    expect(readPolicyText('name: [unclosed\n').ok).toBe(false);
  });
});

describe('canonical form', () => {
  it('is the same for the same meaning, whatever the key order, limit spelling or time-zone case', () => {
    const reordered = {
      pii: { keepOnPremises: true, detectors: { cn_resident_id: 'block', email: 'mask' } },
      retention: { gpuDays: 90, scoresDays: 365, contentDays: 30, requestsDays: 180 },
      quotas: [{ models: ['gpt-4o*'], enforcement: 'hard', timeZone: 'asia/shanghai', period: 'month', limit: 500, metric: 'costUsd', name: 'monthly' }],
      models: { deny: ['*-preview'], allow: ['gpt-4o-mini', 'llama-3.*'], allowAll: false },
      scope: { team: 'claims' },
      name: 'claims',
    };
    const first = parsePolicyDocument(issueExample);
    const second = parsePolicyDocument(reordered);
    expect(canonicalPolicyJson(second)).toBe(canonicalPolicyJson(first));
    expect(samePolicyDocument(first, second)).toBe(true);
    // A document read back from storage with its keys in another order (Postgres jsonb reorders them).
    const fromStorage = JSON.parse(JSON.stringify(reordered).replace('"limit":500', '"limit":"500"').replace('asia/shanghai', 'Asia/Shanghai')) as PolicyDocument;
    expect(canonicalPolicyJson(fromStorage)).toBe(canonicalPolicyJson(first));
  });

  it('differs when the meaning differs', () => {
    const first = parsePolicyDocument(issueExample);
    const changed = parsePolicyDocument({ ...issueExample, quotas: [{ ...issueExample.quotas[0], limit: '500.01' }] });
    expect(samePolicyDocument(first, changed)).toBe(false);
  });
});
