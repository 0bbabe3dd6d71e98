import { describe, expect, it } from 'vitest';
import type { ScoreValue } from '../../../../server/src/modules/evals/dto/score';
import { checkScoreValue } from '../../../../server/src/modules/evals/scoring/check-score-value';
import { defaultScoreDefinitions } from '../../../../server/src/modules/evals/scoring/default-score-definitions';
import { deriveHallucinated } from '../../../../server/src/modules/evals/scoring/hallucination-flag';
import type { ScoreDefinition } from '../../../../server/src/modules/evals/scoring/score-definition';

function definition(name: string): ScoreDefinition {
  const found = defaultScoreDefinitions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no shipped definition ${name}`);
  return found;
}

/** The whole path a score takes: its value checked and typed by the definition, then the flag derived. */
function flag(name: string, value: ScoreValue, label = ''): boolean | null {
  const checked = checkScoreValue({ name, value, label }, definition(name));
  if ('problems' in checked) throw new Error(`refused: ${JSON.stringify(checked.problems)}`);
  return deriveHallucinated(checked.value, definition(name));
}

describe('hallucinated flag per evaluator family', () => {
  it('Vectara HHEM-2.1: higher is better, below 0.5 is a hallucination, 0.5 itself passes', () => {
    expect(flag('hhem-2.1', 0)).toBe(true);
    expect(flag('hhem-2.1', 0.4999)).toBe(true);
    expect(flag('hhem-2.1', 0.5)).toBe(false);
    expect(flag('hhem-2.1', 0.5001)).toBe(false);
    expect(flag('hhem-2.1', 1)).toBe(false);
  });

  it('RAGAS faithfulness: higher is better, threshold 0.7 passes at 0.7', () => {
    expect(flag('ragas.faithfulness', 0.69)).toBe(true);
    expect(flag('ragas.faithfulness', 0.7)).toBe(false);
    expect(flag('ragas.faithfulness', 0.75)).toBe(false);
    expect(flag('ragas.faithfulness', 0)).toBe(true);
  });

  it('DeepEval hallucination: lower is better, the 0.5 threshold is a maximum that still passes', () => {
    expect(flag('deepeval.hallucination', 0)).toBe(false);
    expect(flag('deepeval.hallucination', 0.5)).toBe(false);
    expect(flag('deepeval.hallucination', 0.5001)).toBe(true);
    expect(flag('deepeval.hallucination', 1)).toBe(true);
  });

  it('DeepEval faithfulness: higher is better, 0.5 is the minimum that passes', () => {
    expect(flag('deepeval.faithfulness', 0.4999)).toBe(true);
    expect(flag('deepeval.faithfulness', 0.5)).toBe(false);
  });

  it('Opik hallucination: 1 means a hallucination was found, 0 none', () => {
    expect(flag('opik.hallucination', 1)).toBe(true);
    expect(flag('opik.hallucination', 0)).toBe(false);
    expect(flag('opik.hallucination', 0.5)).toBe(false);
  });

  it('Azure AI groundedness: 1–5, 3 and above pass', () => {
    expect(flag('azure.groundedness', 1)).toBe(true);
    expect(flag('azure.groundedness', 2)).toBe(true);
    expect(flag('azure.groundedness', 2.99)).toBe(true);
    expect(flag('azure.groundedness', 3)).toBe(false);
    expect(flag('azure.groundedness', 5)).toBe(false);
  });

  it('Phoenix hallucination: labels, whatever their case; a label beside a number is read', () => {
    expect(flag('phoenix.hallucination', 'hallucinated')).toBe(true);
    expect(flag('phoenix.hallucination', 'Factual')).toBe(false);
    // An OpenTelemetry evaluation event may carry Phoenix's numeric score (1 = hallucinated) beside its label.
    expect(flag('phoenix.hallucination', 1, 'hallucinated')).toBe(true);
    expect(flag('phoenix.hallucination', 0, 'factual')).toBe(false);
  });

  it('LLM-as-judge booleans: the direction says which verdict is the bad one; 1/0 and "true"/"false" are verdicts too', () => {
    expect(flag('llm_judge.hallucination', true)).toBe(true);
    expect(flag('llm_judge.hallucination', false)).toBe(false);
    expect(flag('llm_judge.hallucination', 1)).toBe(true);
    expect(flag('llm_judge.hallucination', 'FALSE')).toBe(false);
    expect(flag('llm_judge.faithful', true)).toBe(false);
    expect(flag('llm_judge.faithful', false)).toBe(true);
    expect(flag('llm_judge.faithful', 0)).toBe(true);
  });

  it('answers unknown where the definition does not say', () => {
    const numericWithoutThreshold: ScoreDefinition = { ...definition('hhem-2.1'), threshold: null };
    expect(deriveHallucinated(0.1, numericWithoutThreshold)).toBeNull();
    const numericWithoutDirection: ScoreDefinition = { ...definition('hhem-2.1'), direction: null };
    expect(deriveHallucinated(0.1, numericWithoutDirection)).toBeNull();
    const booleanWithoutDirection: ScoreDefinition = { ...definition('llm_judge.hallucination'), direction: null };
    expect(deriveHallucinated(true, booleanWithoutDirection)).toBeNull();
    const labelsWithoutVerdict: ScoreDefinition = { ...definition('phoenix.hallucination'), hallucinatedLabels: [] };
    expect(deriveHallucinated('hallucinated', labelsWithoutVerdict)).toBeNull();
    // A value of the wrong type (not checked first) is unknown, never a guess.
    expect(deriveHallucinated('0.2', definition('hhem-2.1'))).toBeNull();
    expect(deriveHallucinated('maybe', definition('phoenix.hallucination'))).toBeNull();
  });
});
