import { describe, expect, it } from 'vitest';
import type { ScoreValue } from '../../../../server/src/modules/evals/dto/score';
import { checkScoreValue, inferScoreDefinition } from '../../../../server/src/modules/evals/scoring/check-score-value';
import { defaultScoreDefinitions } from '../../../../server/src/modules/evals/scoring/default-score-definitions';
import { validateScoreDefinition } from '../../../../server/src/modules/evals/scoring/validate-score-definition';

function check(name: string, value: ScoreValue, label = ''): ReturnType<typeof checkScoreValue> {
  const definition = defaultScoreDefinitions.find((candidate) => candidate.name === name)!;
  return checkScoreValue({ name, value, label }, definition);
}

describe('checkScoreValue', () => {
  it('keeps numbers within the inclusive range, edges included', () => {
    expect(check('hhem-2.1', 0)).toEqual({ value: 0 });
    expect(check('hhem-2.1', 1)).toEqual({ value: 1 });
    expect(check('azure.groundedness', 5)).toEqual({ value: 5 });
  });

  it('refuses a number out of range, naming the range and the definition', () => {
    expect(check('hhem-2.1', 1.01)).toEqual({ problems: [{ field: 'value', message: '1.01 is outside [0, 1], the range of "hhem-2.1"' }] });
    expect(check('azure.groundedness', 0)).toEqual({ problems: [{ field: 'value', message: '0 is outside [1, 5], the range of "azure.groundedness"' }] });
    expect(check('deepeval.hallucination', -0.1)).toMatchObject({ problems: [{ field: 'value', message: expect.stringContaining('[0, 1]') }] });
  });

  it('refuses the wrong type for each data type', () => {
    expect(check('ragas.faithfulness', true)).toMatchObject({ problems: [{ message: expect.stringMatching(/must be a number/) }] });
    expect(check('ragas.faithfulness', 'high')).toMatchObject({ problems: [{ message: expect.stringMatching(/must be a number/) }] });
    expect(check('llm_judge.hallucination', 0.5)).toMatchObject({ problems: [{ message: expect.stringMatching(/true or false/) }] });
    expect(check('llm_judge.hallucination', 'perhaps')).toMatchObject({ problems: [{ message: expect.stringMatching(/true or false/) }] });
    expect(check('phoenix.hallucination', 'unsure')).toEqual({
      problems: [{ field: 'value', message: '"unsure" is not a label of "phoenix.hallucination": use one of factual, hallucinated' }],
    });
    expect(check('phoenix.hallucination', 1)).toMatchObject({ problems: [{ message: expect.stringMatching(/must be a label/) }] });
  });

  it('answers labels as the definition spells them, and booleans as booleans', () => {
    expect(check('phoenix.hallucination', 'HALLUCINATED')).toEqual({ value: 'hallucinated' });
    expect(check('llm_judge.faithful', 'True')).toEqual({ value: true });
    expect(check('llm_judge.faithful', 0)).toEqual({ value: false });
  });

  it('infers a definition that stores anything of the first type and flags nothing', () => {
    expect(inferScoreDefinition({ name: 'Relevance', value: 4 })).toMatchObject({ dataType: 'numeric', minimum: null, maximum: null, direction: null, threshold: null });
    expect(inferScoreDefinition({ name: 'pass', value: true })).toMatchObject({ dataType: 'boolean', direction: null });
    const categorical = inferScoreDefinition({ name: 'tone', value: 'polite' });
    expect(categorical).toMatchObject({ dataType: 'categorical', labels: [] });
    expect(checkScoreValue({ name: 'tone', value: 'rude', label: '' }, categorical)).toEqual({ value: 'rude' });
    expect(checkScoreValue({ name: 'Relevance', value: 1e6, label: '' }, inferScoreDefinition({ name: 'Relevance', value: 4 }))).toEqual({ value: 1e6 });
  });

  it('every shipped definition passes the definition rules', () => {
    for (const definition of defaultScoreDefinitions) {
      expect(validateScoreDefinition(definition), definition.name).toEqual({ definition });
    }
    expect(new Set(defaultScoreDefinitions.map((definition) => definition.name)).size).toBe(defaultScoreDefinitions.length);
  });
});
