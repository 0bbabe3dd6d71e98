// Score names are grouped by and shown in dashboards: printable (no control or format characters), not starting with
// a space, bounded. Evaluators name their metrics freely ("hhem-2.1", "Answer Relevancy (LLM)", "ragas.faithfulness").
export const scoreNamePattern = /^(?=\S)[^\p{C}]{1,128}$/u;
export const scoreNameRule = 'must be 1 to 128 printable characters, not starting with a space';
