import { describe, expect, it } from 'vitest';
import { withKindFields } from '../../web/src/resources/alertRules/alertRuleRecord';

describe("the alert rule form's values", () => {
  it("keeps only the chosen kind's params and scope", () => {
    const values = withKindFields({ kind: 'gpu_hot', team: 'search', node: 'gpu-1', params: { windowMinutes: 10, thresholds: '50, 80', threshold: 0.2 } });
    expect(values).toMatchObject({ params: { windowMinutes: 10 }, team: null, node: 'gpu-1' });
  });

  it('turns the thresholds text into numbers and leaves empty inputs to the server defaults', () => {
    const values = withKindFields({ kind: 'budget_burn', team: 'search', params: { thresholds: ' 50, 80 ,100,', projectedOverrun: false, projectionMinElapsedHours: '' } });
    expect(values.params).toEqual({ thresholds: [50, 80, 100], projectedOverrun: false });
    expect(withKindFields({ kind: 'budget_burn', params: { thresholds: [50, 90] } }).params).toEqual({ thresholds: [50, 90] });
  });

  it('sends numbers typed as text as numbers', () => {
    expect(withKindFields({ kind: 'policy_deny_spike', params: { threshold: '12', reason: 'model_not_allowed' } }).params).toEqual({ threshold: 12, reason: 'model_not_allowed' });
  });
});
