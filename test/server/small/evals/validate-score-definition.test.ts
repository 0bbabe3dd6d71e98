import { describe, expect, it } from 'vitest';
import type { FieldProblem } from '../../../../server/src/modules/evals/dto/score';
import { validateScoreDefinition } from '../../../../server/src/modules/evals/scoring/validate-score-definition';

function problemsOf(raw: unknown): FieldProblem[] {
  const result = validateScoreDefinition(raw);
  if (!('problems' in result)) throw new Error(`accepted: ${JSON.stringify(result.definition)}`);
  return result.problems;
}

describe('validateScoreDefinition', () => {
  it('accepts a numeric definition and fills the absent parts', () => {
    expect(validateScoreDefinition({ name: 'groundedness', dataType: 'numeric', minimum: 0, maximum: 10, direction: 'higher_is_better', threshold: 6 })).toEqual({
      definition: { name: 'groundedness', description: '', dataType: 'numeric', minimum: 0, maximum: 10, direction: 'higher_is_better', threshold: 6, labels: [], hallucinatedLabels: [] },
    });
  });

  it('needs a direction with a threshold, and the threshold within the range', () => {
    expect(problemsOf({ name: 'x', dataType: 'numeric', threshold: 0.5 })).toEqual([
      { field: 'direction', message: 'is required with a threshold: say whether higher or lower is better' },
    ]);
    expect(problemsOf({ name: 'x', dataType: 'numeric', minimum: 0, maximum: 1, direction: 'lower_is_better', threshold: 2 })).toEqual([
      { field: 'threshold', message: 'must lie within the range (0 to 1)' },
    ]);
    expect(problemsOf({ name: 'x', dataType: 'numeric', minimum: 1, maximum: 1 })).toEqual([{ field: 'maximum', message: 'must be greater than minimum (1)' }]);
  });

  it('refuses parts that do not apply to the data type', () => {
    expect(problemsOf({ name: 'x', dataType: 'boolean', threshold: 0.5, direction: 'lower_is_better' }).map((problem) => problem.field)).toEqual(['threshold']);
    expect(problemsOf({ name: 'x', dataType: 'categorical', direction: 'higher_is_better', labels: ['a', 'b'] }).map((problem) => problem.field)).toEqual(['direction']);
    expect(problemsOf({ name: 'x', dataType: 'numeric', labels: ['a'] }).map((problem) => problem.field)).toEqual(['labels']);
  });

  it('checks categorical labels: hallucinated ones among the labels, not all of them, no repeats', () => {
    expect(problemsOf({ name: 'x', dataType: 'categorical', labels: ['ok', 'bad'], hallucinatedLabels: ['worse'] })).toEqual([
      { field: 'hallucinatedLabels', message: '"worse" is not one of labels' },
    ]);
    expect(problemsOf({ name: 'x', dataType: 'categorical', labels: ['bad'], hallucinatedLabels: ['bad'] })).toEqual([
      { field: 'hallucinatedLabels', message: 'must leave at least one label that is not a hallucination' },
    ]);
    expect(problemsOf({ name: 'x', dataType: 'categorical', labels: ['Bad', 'bad'] })).toEqual([
      { field: 'labels', message: 'must not repeat a label (labels compare case-insensitively)' },
    ]);
  });

  it('names a bad data type, a bad name and unknown fields', () => {
    expect(problemsOf({ name: 'x', dataType: 'float' })).toEqual([{ field: 'dataType', message: 'must be one of numeric, boolean, categorical' }]);
    expect(problemsOf({ name: '\tx', dataType: 'numeric', colour: 'red' }).map((problem) => problem.field)).toEqual(['colour', 'name']);
  });
});
