/** A deterministic generator of realistic request traffic: teams, models, daily and weekly rhythm, errors. */

export interface DemoModel {
  model: string;
  provider: string;
  node: string;
  weight: number;
  inputMean: number;
  outputMean: number;
  latencyPerOutputToken: number;
  cachedShare: number;
}

export const demoTeams = ['search', 'support-bot', 'legal-review', 'marketing', 'data-science', 'platform', 'finance-ops'];

export const demoModels: DemoModel[] = [
  { model: 'gpt-4o', provider: 'openai', node: '', weight: 14, inputMean: 1800, outputMean: 420, latencyPerOutputToken: 14, cachedShare: 0.3 },
  { model: 'gpt-4o-mini', provider: 'openai', node: '', weight: 22, inputMean: 1200, outputMean: 300, latencyPerOutputToken: 8, cachedShare: 0.2 },
  { model: 'claude-sonnet-4-5', provider: 'anthropic', node: '', weight: 10, inputMean: 3000, outputMean: 650, latencyPerOutputToken: 16, cachedShare: 0.4 },
  { model: 'claude-3-5-haiku-20241022', provider: 'anthropic', node: '', weight: 8, inputMean: 900, outputMean: 250, latencyPerOutputToken: 7, cachedShare: 0.1 },
  { model: 'gemini-2.5-flash', provider: 'google', node: '', weight: 9, inputMean: 2200, outputMean: 380, latencyPerOutputToken: 6, cachedShare: 0.15 },
  { model: 'mistral-large-latest', provider: 'mistral', node: '', weight: 4, inputMean: 1500, outputMean: 400, latencyPerOutputToken: 15, cachedShare: 0 },
  { model: 'deepseek-chat', provider: 'deepseek', node: '', weight: 5, inputMean: 2000, outputMean: 500, latencyPerOutputToken: 18, cachedShare: 0.35 },
  { model: 'text-embedding-3-small', provider: 'openai', node: '', weight: 10, inputMean: 600, outputMean: 0, latencyPerOutputToken: 0, cachedShare: 0 },
  { model: 'meta-llama/Llama-3.1-8B-Instruct', provider: 'vllm', node: 'gpu-node-a', weight: 8, inputMean: 1100, outputMean: 280, latencyPerOutputToken: 9, cachedShare: 0 },
  { model: 'meta-llama/Llama-3.3-70B-Instruct', provider: 'vllm', node: 'gpu-node-b', weight: 6, inputMean: 2400, outputMean: 520, latencyPerOutputToken: 22, cachedShare: 0 },
  { model: 'qwen2.5-coder:32b', provider: 'ollama', node: 'gpu-node-c', weight: 3, inputMean: 1600, outputMean: 600, latencyPerOutputToken: 25, cachedShare: 0 },
  { model: 'internal-finetune-v3', provider: 'vllm', node: 'gpu-node-b', weight: 1, inputMean: 800, outputMean: 200, latencyPerOutputToken: 12, cachedShare: 0 },
];

const errorTypes = ['rate_limit_exceeded', 'timeout', 'context_length_exceeded', 'server_error'];

/** Mulberry32: small, fast and seedable, so every demo load is the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Relative traffic at an hour: busy working hours, quiet nights, quieter weekends. */
export function trafficWeight(at: Date): number {
  const hour = at.getUTCHours();
  const day = at.getUTCDay();
  const daily = 0.25 + Math.exp(-((hour - 14) ** 2) / 18);
  return day === 0 || day === 6 ? daily * 0.35 : daily;
}

export interface DemoEvent {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node?: string;
  model: string;
  operation: 'chat' | 'embedding';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  latencyMs: number;
  ttftMs?: number;
  status: 'ok' | 'error';
  errorType?: string;
  metadata: Record<string, string>;
  prompt?: string;
  completion?: string;
}

/**
 * Short conversations for a share of the chat requests, some naming a customer's e-mail address or phone number, so
 * the Requests drill-down has content and the Compliance view has personal data to count (as the demo policies mask
 * or hash it). The addresses and numbers are the reserved example ones.
 */
const demoConversations: Array<[prompt: string, completion: string]> = [
  ['Summarise the termination clause of the attached supplier contract in three bullet points.', 'The supplier may terminate with 90 days written notice; either party may terminate at once for material breach; fees already paid are not refunded.'],
  ['Draft a reply to a customer asking when order 48213 will ship.', 'Thank you for your patience: order 48213 leaves our warehouse tomorrow and should arrive within three working days.'],
  ['The customer ana.silva@example.com says her invoice doubled this month. Draft a polite answer.', 'Dear Ana, thank you for reaching out. The increase comes from the annual plan renewal; I have attached a breakdown.'],
  ['Call back +1 (415) 555-2671 about the delayed shipment and propose a new delivery date.', 'Suggested script: apologise for the delay, confirm the address, and offer delivery on Thursday between 9 and 12.'],
  ['Write a SQL query that lists the ten largest accounts by revenue this quarter.', 'SELECT account_id, sum(amount) AS revenue FROM invoices WHERE quarter = current_quarter() GROUP BY account_id ORDER BY revenue DESC LIMIT 10;'],
  ['Forward the claim of jonas.weber@example.org (phone +44 20 7946 0958) to the legal team with a short summary.', 'Summary for legal: the customer disputes the cancellation fee of claim 7731 and asks for a call back this week.'],
  ['Explain the difference between our standard and premium support plans in plain words.', 'Standard support answers within one working day; premium answers within two hours, around the clock, with a named engineer.'],
];

export function* generateDemoEvents(options: { end: Date; days: number; total: number; seed?: number }): Generator<DemoEvent> {
  const random = seededRandom(options.seed ?? 42);
  const hours = options.days * 24;
  const start = options.end.getTime() - hours * 3600_000;
  const weights = Array.from({ length: hours }, (_unused, index) => trafficWeight(new Date(start + index * 3600_000)));
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const modelWeightSum = demoModels.reduce((sum, model) => sum + model.weight, 0);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const gaussianish = () => (random() + random() + random()) / 1.5; // mean 1, bounded spread
  // Content is drawn from a random of its own, so adding it left every other field of the data set as it was.
  const contentRandom = seededRandom((options.seed ?? 42) + 1);
  let sequence = 0;
  for (let hourIndex = 0; hourIndex < hours; hourIndex += 1) {
    const count = Math.round((weights[hourIndex] / weightSum) * options.total);
    const hourStart = start + hourIndex * 3600_000;
    for (let index = 0; index < count; index += 1) {
      let modelRoll = random() * modelWeightSum;
      const model = demoModels.find((candidate) => (modelRoll -= candidate.weight) < 0) ?? demoModels[0];
      const team = pick(demoTeams);
      const isEmbedding = model.outputMean === 0;
      const inputTokens = Math.max(1, Math.round(model.inputMean * gaussianish()));
      const outputTokens = isEmbedding ? 0 : Math.max(1, Math.round(model.outputMean * gaussianish()));
      const failed = random() < 0.02;
      const ttft = isEmbedding ? undefined : Math.round(150 + random() * 600);
      sequence += 1;
      const conversation = !isEmbedding && !failed && contentRandom() < 0.08 ? demoConversations[Math.floor(contentRandom() * demoConversations.length)] : null;
      yield {
        id: `demo-${sequence.toString(36)}`,
        timestamp: new Date(hourStart + Math.floor(random() * 3600_000)).toISOString(),
        team,
        user: `${team}-user-${Math.floor(random() * 12) + 1}@example.com`,
        provider: model.provider,
        node: model.node || undefined,
        model: model.model,
        operation: isEmbedding ? 'embedding' : 'chat',
        inputTokens,
        outputTokens: failed ? 0 : outputTokens,
        cachedInputTokens: Math.floor(inputTokens * model.cachedShare * random()),
        latencyMs: failed ? Math.round(100 + random() * 30_000) : Math.round((ttft ?? 40) + outputTokens * model.latencyPerOutputToken * gaussianish()),
        ttftMs: ttft,
        status: failed ? 'error' : 'ok',
        errorType: failed ? pick(errorTypes) : undefined,
        metadata: { app: `${team}-app`, environment: random() < 0.85 ? 'production' : 'staging' },
        ...(conversation ? { prompt: conversation[0], completion: conversation[1] } : {}),
      };
    }
  }
}
