export const scoreDataTypes = ['numeric', 'boolean', 'categorical'] as const;
export type ScoreDataType = (typeof scoreDataTypes)[number];

export const scoreDirections = ['higher_is_better', 'lower_is_better'] as const;
/**
 * Which way is good. HHEM's factual-consistency score and RAGAS faithfulness are higher_is_better; DeepEval's
 * hallucination score (the share of contradicted contexts) is lower_is_better. For a boolean, higher_is_better means
 * `true` is the good verdict (e.g. "faithful"), lower_is_better means `true` is the bad one (e.g. "hallucinated").
 */
export type ScoreDirection = (typeof scoreDirections)[number];

/**
 * What one score name means, so that a single `hallucinated` flag can be derived whatever tool produced the score.
 * Stored per name (GraphQL resource `ScoreDefinition`); the shipped defaults are in default-score-definitions.ts.
 */
export interface ScoreDefinition {
  name: string;
  description: string;
  dataType: ScoreDataType;
  /** Numeric only: the inclusive range a value must fall in; null = unbounded on that side. */
  minimum: number | null;
  maximum: number | null;
  /** Numeric and boolean: which way is good; null = the score says nothing about hallucination. */
  direction: ScoreDirection | null;
  /**
   * Numeric only: the pass mark. A value exactly at the threshold passes (is not hallucinated), as the tools
   * themselves count it: DeepEval passes a hallucination score ≤ its threshold and a faithfulness score ≥ it; Azure
   * AI passes groundedness ≥ 3. Null = no flag is derived.
   */
  threshold: number | null;
  /** Categorical only: every label a value may take (compared case-insensitively, stored as written here). */
  labels: string[];
  /** Categorical only: the labels that mean hallucinated (a subset of labels). The others mean not hallucinated. */
  hallucinatedLabels: string[];
}
