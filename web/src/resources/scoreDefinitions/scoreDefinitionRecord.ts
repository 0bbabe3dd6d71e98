// A score definition as the GraphQL `ScoreDefinition` type returns it.
export interface ScoreDefinitionRecord {
  id: string;
  name: string;
  description: string;
  dataType: 'numeric' | 'boolean' | 'categorical';
  minimum: number | null;
  maximum: number | null;
  direction: 'higher_is_better' | 'lower_is_better' | null;
  threshold: number | null;
  labels: string[];
  hallucinatedLabels: string[];
  origin: 'shipped' | 'user' | 'auto';
  createdAt: string;
  updatedAt: string;
}

export const dataTypeChoices = [
  { id: 'numeric', name: 'Numeric' },
  { id: 'boolean', name: 'Boolean' },
  { id: 'categorical', name: 'Categorical (labels)' },
];

export const directionChoices = [
  { id: 'higher_is_better', name: 'Higher is better (e.g. HHEM, RAGAS faithfulness)' },
  { id: 'lower_is_better', name: 'Lower is better (e.g. DeepEval hallucination)' },
];

export const originChoices = [
  { id: 'shipped', name: 'Shipped' },
  { id: 'user', name: 'Written here' },
  { id: 'auto', name: 'Auto-defined' },
];

/** How a definition turns a score into the hallucinated flag, in one line. */
export function flagRule(record: ScoreDefinitionRecord): string {
  if (record.dataType === 'categorical') {
    return record.hallucinatedLabels.length > 0 ? `hallucinated when ${record.hallucinatedLabels.join(' or ')}` : 'no flag';
  }
  if (record.direction === null) return 'no flag';
  if (record.dataType === 'boolean') return record.direction === 'higher_is_better' ? 'hallucinated when false' : 'hallucinated when true';
  if (record.threshold === null) return 'no flag';
  return record.direction === 'higher_is_better' ? `hallucinated below ${record.threshold}` : `hallucinated above ${record.threshold}`;
}

/** Clears what the chosen type does not take (the form keeps hidden fields' values when the type changes). */
export function withTypeFields<Values extends Partial<ScoreDefinitionRecord>>(values: Values): Values {
  const numeric = values.dataType === 'numeric';
  const categorical = values.dataType === 'categorical';
  return {
    ...values,
    minimum: numeric ? (values.minimum ?? null) : null,
    maximum: numeric ? (values.maximum ?? null) : null,
    threshold: numeric ? (values.threshold ?? null) : null,
    // The select's empty choice comes back as ''.
    direction: categorical || !values.direction ? null : values.direction,
    labels: categorical ? (values.labels ?? []) : [],
    hallucinatedLabels: categorical ? (values.hallucinatedLabels ?? []) : [],
  };
}
