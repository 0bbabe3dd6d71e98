import type { ScoreDefinition } from './score-definition';

const unitRange = { minimum: 0, maximum: 1 };
const noLabels = { labels: [], hallucinatedLabels: [] };

/**
 * Definitions shipped for the evaluators teams already run, so their scores mean something on arrival. Each value
 * semantics is the tool's own (its documentation, at the time of writing); thresholds are the tool's default pass
 * mark where it has one. Every one can be changed per installation.
 */
export const defaultScoreDefinitions: readonly ScoreDefinition[] = [
  {
    // Vectara HHEM-2.1(-Open): a factual-consistency score from 0 (hallucinated) to 1 (consistent with the source);
    // Vectara's leaderboard counts a summary below 0.5 as a hallucination.
    name: 'hhem-2.1',
    description: 'Vectara HHEM-2.1 factual consistency: 0 = hallucinated, 1 = consistent with the source; below 0.5 is a hallucination',
    dataType: 'numeric',
    ...unitRange,
    direction: 'higher_is_better',
    threshold: 0.5,
    ...noLabels,
  },
  {
    // RAGAS faithfulness: the share of the answer's claims that the retrieved context supports. RAGAS sets no pass
    // mark; 0.7 flags an answer when more than about a third of its claims are unsupported.
    name: 'ragas.faithfulness',
    description: 'RAGAS faithfulness: share of the answer\'s claims supported by the retrieved context (0–1); below 0.7 is a hallucination',
    dataType: 'numeric',
    ...unitRange,
    direction: 'higher_is_better',
    threshold: 0.7,
    ...noLabels,
  },
  {
    // DeepEval HallucinationMetric: contradicted contexts / all contexts. Its threshold is a maximum, default 0.5.
    name: 'deepeval.hallucination',
    description: 'DeepEval hallucination: share of the given contexts the output contradicts (0–1); above 0.5 is a hallucination',
    dataType: 'numeric',
    ...unitRange,
    direction: 'lower_is_better',
    threshold: 0.5,
    ...noLabels,
  },
  {
    // DeepEval FaithfulnessMetric: truthful claims / all claims against the retrieval context; minimum 0.5 by default.
    name: 'deepeval.faithfulness',
    description: 'DeepEval faithfulness: share of the output\'s claims that agree with the retrieval context (0–1); below 0.5 is a hallucination',
    dataType: 'numeric',
    ...unitRange,
    direction: 'higher_is_better',
    threshold: 0.5,
    ...noLabels,
  },
  {
    // Arize Phoenix hallucination eval: an LLM judge answering "factual" or "hallucinated".
    name: 'phoenix.hallucination',
    description: 'Arize Phoenix hallucination eval: the label "hallucinated" or "factual"',
    dataType: 'categorical',
    minimum: null,
    maximum: null,
    direction: null,
    threshold: null,
    labels: ['factual', 'hallucinated'],
    hallucinatedLabels: ['hallucinated'],
  },
  {
    // Opik Hallucination metric: 1.0 when the judge finds a hallucination, 0.0 otherwise.
    name: 'opik.hallucination',
    description: 'Opik hallucination: 1 = hallucination found, 0 = none',
    dataType: 'numeric',
    ...unitRange,
    direction: 'lower_is_better',
    threshold: 0.5,
    ...noLabels,
  },
  {
    // Azure AI Evaluation GroundednessEvaluator: 1 (ungrounded) to 5 (grounded), passing at 3 and above by default.
    name: 'azure.groundedness',
    description: 'Azure AI groundedness: 1 (not grounded) to 5 (fully grounded in the context); below 3 is a hallucination',
    dataType: 'numeric',
    minimum: 1,
    maximum: 5,
    direction: 'higher_is_better',
    threshold: 3,
    ...noLabels,
  },
  {
    // The plain LLM-as-judge verdict teams write themselves: "does this answer contain a hallucination?"
    name: 'llm_judge.hallucination',
    description: 'LLM-as-judge verdict: true = the answer contains a hallucination',
    dataType: 'boolean',
    minimum: null,
    maximum: null,
    direction: 'lower_is_better',
    threshold: null,
    ...noLabels,
  },
  {
    // Its positive twin: "is this answer faithful to the context?"
    name: 'llm_judge.faithful',
    description: 'LLM-as-judge verdict: true = the answer is faithful to its context',
    dataType: 'boolean',
    minimum: null,
    maximum: null,
    direction: 'higher_is_better',
    threshold: null,
    ...noLabels,
  },
];
