import type { DemoEvent } from './demo-traffic';

/**
 * Demo evaluation scores: two evaluators (Vectara HHEM-2.1 and RAGAS faithfulness) score a share of the chat
 * answers, some models hallucinating far more often than others, so the Evaluations dashboard has a story to tell.
 */
export const demoHallucinationShare: Record<string, number> = {
  'internal-finetune-v3': 0.34,
  'meta-llama/Llama-3.1-8B-Instruct': 0.24,
  'deepseek-chat': 0.2,
  'qwen2.5-coder:32b': 0.14,
  'gpt-4o-mini': 0.09,
  'mistral-large-latest': 0.08,
  'claude-3-5-haiku-20241022': 0.07,
  'gemini-2.5-flash': 0.07,
  'meta-llama/Llama-3.3-70B-Instruct': 0.06,
  'gpt-4o': 0.045,
  'claude-sonnet-4-5': 0.035,
};

const hhemShare = 0.2;
const ragasShare = 0.12;

export interface DemoScore {
  id: string;
  requestId: string;
  team: string;
  name: string;
  value: number;
  evaluator: string;
  source: 'eval';
  comment?: string;
  timestamp: string;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The scores for a batch of demo events: deterministic for a given `random`. */
export function demoScoresFor(events: DemoEvent[], random: () => number): DemoScore[] {
  const scores: DemoScore[] = [];
  for (const event of events) {
    if (event.operation !== 'chat' || event.status !== 'ok') continue;
    const byHhem = random() < hhemShare;
    const byRagas = random() < ragasShare;
    if (!byHhem && !byRagas) continue;
    // One truth per answer, which both evaluators mostly agree on.
    const hallucinated = random() < (demoHallucinationShare[event.model] ?? 0.06);
    const scoredAt = new Date(Date.parse(event.timestamp) + 30_000 + Math.floor(random() * 600_000)).toISOString();
    if (byHhem) {
      const value = hallucinated ? 0.02 + random() * 0.46 : 0.52 + random() * 0.47;
      scores.push({
        id: `${event.id}-hhem`, requestId: event.id, team: event.team, name: 'hhem-2.1', evaluator: 'hhem-2.1', source: 'eval', value: round(value), timestamp: scoredAt,
        ...(hallucinated ? { comment: 'The answer states facts the retrieved context does not support.' } : {}),
      });
    }
    if (byRagas) {
      // RAGAS now and then disagrees with HHEM near its threshold.
      const value = hallucinated ? 0.1 + random() * 0.62 : 0.66 + random() * 0.34;
      scores.push({ id: `${event.id}-ragas`, requestId: event.id, team: event.team, name: 'ragas.faithfulness', evaluator: 'ragas.faithfulness', source: 'eval', value: round(value), timestamp: scoredAt });
    }
  }
  return scores;
}
