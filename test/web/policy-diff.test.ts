import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../web/src/resources/policies/lineDiff';
import { cleanDocument } from '../../web/src/resources/policies/policyRecord';

describe('the policy version diff', () => {
  it('keeps common lines and shows what was removed before what replaced it', () => {
    const before = ['{', '  "limit": "500",', '  "period": "month"', '}'].join('\n');
    const after = ['{', '  "limit": "750",', '  "period": "month",', '  "timeZone": "UTC"', '}'].join('\n');
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: '{' },
      { kind: 'removed', text: '  "limit": "500",' },
      { kind: 'removed', text: '  "period": "month"' },
      { kind: 'added', text: '  "limit": "750",' },
      { kind: 'added', text: '  "period": "month",' },
      { kind: 'added', text: '  "timeZone": "UTC"' },
      { kind: 'same', text: '}' },
    ]);
    expect(lineDiff('a\nb', 'a\nb').every((line) => line.kind === 'same')).toBe(true);
    expect(lineDiff('', 'x')).toEqual([{ kind: 'removed', text: '' }, { kind: 'added', text: 'x' }]);
  });
});

describe('the document the console sends', () => {
  it('drops what the form left blank, keeps what the author set', () => {
    expect(
      cleanDocument({
        name: ' claims ',
        scope: { team: 'claims' },
        models: { allowAll: false, allow: ['gpt-4o*'] },
        quotas: [{ name: 'q', metric: 'costUsd', limit: '500.00', period: 'month', models: [] }],
        retention: { requestsDays: 200, contentDays: undefined },
        pii: { detectors: { email: 'mask', phone: undefined }, keepOnPremises: true },
      }),
    ).toEqual({
      name: 'claims',
      scope: { team: 'claims' },
      models: { allowAll: false, allow: ['gpt-4o*'], deny: [] },
      quotas: [{ name: 'q', metric: 'costUsd', limit: '500.00', period: 'month' }],
      retention: { requestsDays: 200 },
      pii: { detectors: { email: 'mask' }, keepOnPremises: true },
    });
  });
});
