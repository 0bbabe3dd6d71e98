import { findUnknownFields, type FieldProblem } from '../../../engine/validation/field-problems';
import { scoreNamePattern, scoreNameRule } from '../dto/score-name';
import { scoreDataTypes, scoreDirections, type ScoreDataType, type ScoreDefinition, type ScoreDirection } from './score-definition';

const knownFields = new Set(['name', 'description', 'dataType', 'minimum', 'maximum', 'direction', 'threshold', 'labels', 'hallucinatedLabels']);
const dataTypes = new Set<string>(scoreDataTypes);
const directions = new Set<string>(scoreDirections);
const maxLabels = 100;
const maxLabelLength = 128;

/** Checks a score definition as submitted (createScoreDefinition, or a shipped default); returns every problem. */
export function validateScoreDefinition(raw: unknown): { definition: ScoreDefinition } | { problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '(definition)', message: 'must be an object' }] };
  }
  const input = raw as Record<string, unknown>;
  const problems: FieldProblem[] = findUnknownFields(input, knownFields);

  const name = typeof input.name === 'string' ? input.name : '';
  if (!name) problems.push({ field: 'name', message: 'is required' });
  else if (!scoreNamePattern.test(name)) problems.push({ field: 'name', message: scoreNameRule });

  let description = '';
  if (input.description !== undefined && input.description !== null) {
    if (typeof input.description !== 'string' || input.description.length > 1000) {
      problems.push({ field: 'description', message: 'must be a string of at most 1000 characters' });
    } else {
      description = input.description;
    }
  }

  const dataType = input.dataType;
  if (typeof dataType !== 'string' || !dataTypes.has(dataType)) {
    problems.push({ field: 'dataType', message: 'must be one of numeric, boolean, categorical' });
    return { problems };
  }

  const number = (field: 'minimum' | 'maximum' | 'threshold'): number | null => {
    const value = input[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ field, message: 'must be a finite number or null' });
      return null;
    }
    if (dataType !== 'numeric') problems.push({ field, message: `applies to numeric scores only, not ${dataType}` });
    return value;
  };
  const minimum = number('minimum');
  const maximum = number('maximum');
  const threshold = number('threshold');

  let direction: ScoreDirection | null = null;
  if (input.direction !== undefined && input.direction !== null) {
    if (typeof input.direction !== 'string' || !directions.has(input.direction)) {
      problems.push({ field: 'direction', message: 'must be higher_is_better or lower_is_better' });
    } else if (dataType === 'categorical') {
      problems.push({ field: 'direction', message: 'does not apply to categorical scores: name their hallucinatedLabels' });
    } else {
      direction = input.direction as ScoreDirection;
    }
  }

  if (minimum !== null && maximum !== null && minimum >= maximum) {
    problems.push({ field: 'maximum', message: `must be greater than minimum (${minimum})` });
  }
  if (threshold !== null) {
    if (direction === null && !problems.some((problem) => problem.field === 'direction')) {
      problems.push({ field: 'direction', message: 'is required with a threshold: say whether higher or lower is better' });
    }
    if ((minimum !== null && threshold < minimum) || (maximum !== null && threshold > maximum)) {
      problems.push({ field: 'threshold', message: `must lie within the range (${minimum ?? '-∞'} to ${maximum ?? '∞'})` });
    }
  }

  const labels = labelList('labels', input.labels, problems);
  const hallucinatedLabels = labelList('hallucinatedLabels', input.hallucinatedLabels, problems);
  if (dataType !== 'categorical') {
    if (labels.length > 0) problems.push({ field: 'labels', message: 'apply to categorical scores only' });
    if (hallucinatedLabels.length > 0) problems.push({ field: 'hallucinatedLabels', message: 'apply to categorical scores only' });
  } else {
    const known = new Set(labels.map((label) => label.toLowerCase()));
    for (const label of hallucinatedLabels) {
      if (!known.has(label.toLowerCase())) problems.push({ field: 'hallucinatedLabels', message: `"${label}" is not one of labels` });
    }
    if (hallucinatedLabels.length > 0 && hallucinatedLabels.length === labels.length) {
      problems.push({ field: 'hallucinatedLabels', message: 'must leave at least one label that is not a hallucination' });
    }
  }

  if (problems.length > 0) return { problems };
  return {
    definition: { name, description, dataType: dataType as ScoreDataType, minimum, maximum, direction, threshold, labels, hallucinatedLabels },
  };
}

function labelList(field: string, value: unknown, problems: FieldProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((label) => typeof label !== 'string' || label.trim() === '' || label.length > maxLabelLength)) {
    problems.push({ field, message: `must be a list of non-empty labels of at most ${maxLabelLength} characters` });
    return [];
  }
  const labels = value as string[];
  if (labels.length > maxLabels) problems.push({ field, message: `must hold at most ${maxLabels} labels` });
  const lowered = labels.map((label) => label.toLowerCase());
  if (new Set(lowered).size !== lowered.length) problems.push({ field, message: 'must not repeat a label (labels compare case-insensitively)' });
  return labels;
}
