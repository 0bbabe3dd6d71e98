import type { ScoreValue } from '../dto/score';
import type { ScoreDefinition } from './score-definition';

/**
 * The one answer per score: hallucinated (true), not hallucinated (false), or unknown (null: the definition has no
 * direction, threshold or hallucinated labels, or the value is not of its type). Numbers by direction and threshold,
 * a value exactly at the threshold passing; booleans by direction; labels by the definition's hallucinated labels.
 * Pass values already checked by checkScoreValue.
 */
export function deriveHallucinated(value: ScoreValue, definition: ScoreDefinition): boolean | null {
  switch (definition.dataType) {
    case 'numeric': {
      if (typeof value !== 'number' || definition.direction === null || definition.threshold === null) return null;
      return definition.direction === 'higher_is_better' ? value < definition.threshold : value > definition.threshold;
    }
    case 'boolean': {
      if (typeof value !== 'boolean' || definition.direction === null) return null;
      return definition.direction === 'higher_is_better' ? !value : value;
    }
    case 'categorical': {
      if (typeof value !== 'string' || definition.hallucinatedLabels.length === 0) return null;
      const lowered = value.toLowerCase();
      if (definition.hallucinatedLabels.some((label) => label.toLowerCase() === lowered)) return true;
      if (definition.labels.length === 0 || definition.labels.some((label) => label.toLowerCase() === lowered)) return false;
      return null;
    }
  }
}
