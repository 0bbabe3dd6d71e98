import type { FieldProblem } from '../../../engine/validation/field-problems';
import type { Score, ScoreValue } from '../dto/score';
import { checkScoreValue, inferScoreDefinition } from './check-score-value';
import { deriveHallucinated } from './hallucination-flag';
import type { ScoreDefinition } from './score-definition';

export interface AppliedScoreDefinition {
  /** The value in the definition's type (a boolean for 1/0, a label as the definition spells it). */
  value: ScoreValue;
  hallucinated: boolean | null;
  definition: ScoreDefinition;
  /** True when the definition was inferred just now (auto-definition): the caller stores it. */
  definedNow: boolean;
}

/**
 * One call per validated score: find its name's definition, check and type the value against it, derive the
 * hallucinated flag. A name nobody defined is refused, unless auto-definition is on (then a definition is inferred
 * from the value and returned for storing).
 */
export function applyScoreDefinition(
  score: Pick<Score, 'name' | 'value' | 'label'>,
  definition: ScoreDefinition | undefined,
  options: { autoDefine: boolean },
): AppliedScoreDefinition | { problems: FieldProblem[] } {
  let definedNow = false;
  if (!definition) {
    if (!options.autoDefine) {
      return { problems: [{ field: 'name', message: `no score definition is named "${score.name}": create one first (createScoreDefinition)` }] };
    }
    definition = inferScoreDefinition(score);
    definedNow = true;
  }
  const checked = checkScoreValue(score, definition);
  if ('problems' in checked) return checked;
  return { value: checked.value, hallucinated: deriveHallucinated(checked.value, definition), definition, definedNow };
}
