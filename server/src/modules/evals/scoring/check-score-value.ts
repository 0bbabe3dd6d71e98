import type { FieldProblem } from '../../../engine/validation/field-problems';
import type { Score, ScoreValue } from '../dto/score';
import type { ScoreDefinition } from './score-definition';

/**
 * Checks a validated score's value against the definition of its name and returns it in the definition's type:
 * a boolean definition takes true/false, 1/0 or the labels "true"/"false"; a categorical one takes a label (or the
 * label that came beside a number) and answers it as the definition spells it. Out of range is refused with the
 * range named.
 */
export function checkScoreValue(
  score: Pick<Score, 'name' | 'value' | 'label'>,
  definition: ScoreDefinition,
): { value: ScoreValue } | { problems: FieldProblem[] } {
  const { value } = score;
  const refuse = (message: string): { problems: FieldProblem[] } => ({ problems: [{ field: 'value', message }] });
  switch (definition.dataType) {
    case 'numeric': {
      if (typeof value !== 'number') return refuse(`must be a number: "${definition.name}" is a numeric score`);
      const { minimum, maximum } = definition;
      if ((minimum !== null && value < minimum) || (maximum !== null && value > maximum)) {
        return refuse(`${value} is outside ${describeRange(minimum, maximum)}, the range of "${definition.name}"`);
      }
      return { value };
    }
    case 'boolean': {
      const verdict = asBoolean(value);
      if (verdict === null) return refuse(`must be true or false (or 1 or 0): "${definition.name}" is a boolean score`);
      return { value: verdict };
    }
    case 'categorical': {
      const label = typeof value === 'string' ? value : score.label;
      if (!label) return refuse(`must be a label: "${definition.name}" is a categorical score (${definition.labels.join(', ') || 'any label'})`);
      if (definition.labels.length === 0) return { value: label };
      const known = definition.labels.find((candidate) => candidate.toLowerCase() === label.toLowerCase());
      if (known === undefined) return refuse(`"${label}" is not a label of "${definition.name}": use one of ${definition.labels.join(', ')}`);
      return { value: known };
    }
  }
}

/** "[0, 1]", "at least 1", "at most 5", or "any number". */
export function describeRange(minimum: number | null, maximum: number | null): string {
  if (minimum !== null && maximum !== null) return `[${minimum}, ${maximum}]`;
  if (minimum !== null) return `at least ${minimum}`;
  if (maximum !== null) return `at most ${maximum}`;
  return 'any number';
}

function asBoolean(value: ScoreValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
  }
  return null;
}

/**
 * A definition for a name nobody defined, when auto-definition is enabled: its type from the first value seen, no
 * range, no direction, so its scores are stored and charted but flag nothing until someone sets a direction.
 */
export function inferScoreDefinition(score: Pick<Score, 'name' | 'value'>): ScoreDefinition {
  const dataType = typeof score.value === 'number' ? 'numeric' : typeof score.value === 'boolean' ? 'boolean' : 'categorical';
  return {
    name: score.name,
    description: 'Defined automatically from the first score received',
    dataType,
    minimum: null,
    maximum: null,
    direction: null,
    threshold: null,
    labels: [],
    hallucinatedLabels: [],
  };
}
