import { describe, expect, it } from 'vitest';
import { applyScoreDefinition } from '../../../../server/src/modules/evals/scoring/apply-score-definition';
import { defaultScoreDefinitions } from '../../../../server/src/modules/evals/scoring/default-score-definitions';

const hhem = defaultScoreDefinitions.find((definition) => definition.name === 'hhem-2.1')!;
const judge = defaultScoreDefinitions.find((definition) => definition.name === 'llm_judge.hallucination')!;

describe('applyScoreDefinition', () => {
  it('checks, types and flags a score of a defined name', () => {
    expect(applyScoreDefinition({ name: 'hhem-2.1', value: 0.2, label: '' }, hhem, { autoDefine: false })).toEqual({ value: 0.2, hallucinated: true, definition: hhem, definedNow: false });
    expect(applyScoreDefinition({ name: 'llm_judge.hallucination', value: 0, label: '' }, judge, { autoDefine: false })).toMatchObject({ value: false, hallucinated: false });
  });

  it('refuses an out-of-range value with the range named', () => {
    expect(applyScoreDefinition({ name: 'hhem-2.1', value: 7, label: '' }, hhem, { autoDefine: true })).toEqual({
      problems: [{ field: 'value', message: '7 is outside [0, 1], the range of "hhem-2.1"' }],
    });
  });

  it('refuses an unknown name unless auto-definition is on, then infers a definition that flags nothing', () => {
    expect(applyScoreDefinition({ name: 'Relevance', value: 4, label: '' }, undefined, { autoDefine: false })).toEqual({
      problems: [{ field: 'name', message: 'no score definition is named "Relevance": create one first (createScoreDefinition)' }],
    });
    expect(applyScoreDefinition({ name: 'Relevance', value: 4, label: '' }, undefined, { autoDefine: true })).toMatchObject({
      value: 4, hallucinated: null, definedNow: true, definition: { name: 'Relevance', dataType: 'numeric', direction: null },
    });
  });
});
