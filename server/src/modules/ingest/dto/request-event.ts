/** A request-log event after validation (the wire format is documented in DESIGN.md and the README). */
export interface RequestEvent {
  id: string;
  timestamp: Date;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  operation: 'chat' | 'completion' | 'embedding';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  status: 'ok' | 'error';
  errorType: string;
  /** Cost the sender measured, as an exact decimal string in USD; absent → priced from the catalog. */
  costUsd: string | null;
  prompt: string;
  completion: string;
  metadata: Record<string, string>;
}

export type { FieldProblem } from '../../../engine/validation/field-problems';
