// A request-log row as the GraphQL `Request` type returns it.
export interface RequestRecord {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  operation: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  status: string;
  errorType: string;
  costUsd: number | null;
  costNanoUsd: string | null;
  priceKnown: boolean;
  prompt: string;
  completion: string;
  /** False when the server withheld prompt and completion from this role. */
  contentVisible?: boolean;
  metadata: { key: string; value: string }[];
  /** The policy decision that admitted the request; empty when none was made. */
  decisionId: string;
  /** on-premises or external: where the serving node is; empty when unknown. */
  location: string;
  /** What the personal-data rules did (mask, hash, block, …); empty when nothing. */
  piiAction: string;
}
