import type { CounterItem } from '../../../engine/counters/quota-counters';
import type { PolicyQuota, PolicyScope, QuotaMetric } from '../document/policy-document';
import type { QuotaPeriod } from '../periods/quota-period';
import type { PiiAction, PiiFinding } from '../pii/pii-detectors';

export type NodeLocation = 'on-premises' | 'external';

/** What one request asks for, as the decision engine needs it (issue 7 §4's authorize body, resolved). */
export interface DecisionRequest {
  team?: string;
  /** The API key's id (for key-scoped policies). */
  keyId?: string;
  model: string;
  /** The node that would serve the request; its location decides `keepOnPremises`. Unknown location: external. */
  node?: { name: string; location?: NodeLocation };
  /** inputTokens + maxOutputTokens: what `tokens` quotas hold until settled. */
  estimatedTokens: bigint;
  /** What `costUsd` quotas hold, in nano-USD; absent: nothing held, but the quota still needs room. */
  estimatedCostNanoUsd?: bigint;
  /** `redact(text, combinePii(policies).actions).findings`; absent or empty when there is no text. */
  findings?: readonly PiiFinding[];
  /** The decision's instant (quota periods are taken at it). */
  at: Date | number;
}

export interface PolicyReference {
  name: string;
  version: number;
}

export const REFUSAL_REASONS = [
  'model_not_allowed',
  'insufficient_quota',
  'rate_limit_exceeded',
  'content_policy_violation',
  'on_premises_required',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** issue 7 §4: `{"allowed": false, "reason", "message", "retryAfterSeconds"?, "policy": {"name","version"}}`. */
export interface Refusal {
  allowed: false;
  reason: RefusalReason;
  message: string;
  retryAfterSeconds?: number;
  policy: PolicyReference;
}

/** One quota a request must fit in: the counter to reserve on and what it belongs to. */
export interface QuotaDemand {
  policy: PolicyReference;
  scope: PolicyScope;
  quota: PolicyQuota;
  periodStart: Date;
  periodEnd: Date;
  /** `unit` is the quota's metric; `amount` the request's estimate in the metric's integer unit. */
  counter: CounterItem;
}

export interface PiiVerdict {
  /** The strictest action taken on the text's findings: allow, hash or mask (block is a refusal). */
  action: PiiAction;
  findings: PiiFinding[];
  /** Personal data found and some applicable policy says keepOnPremises: route to an on-premises node only. */
  onPremisesOnly: boolean;
}

/** Step one passed (models, content, location); the quotas are still to be reserved. */
export interface PendingAdmission {
  allowed: true;
  policies: PolicyReference[];
  pii: PiiVerdict;
  quotaDemands: QuotaDemand[];
}

export interface QuotaStanding {
  policy: PolicyReference;
  quota: string;
  metric: QuotaMetric;
  period: QuotaPeriod;
  enforcement: 'hard' | 'soft';
  limit: bigint;
  /** After this request's hold; negative when a soft quota (or settled usage) ran past the limit. */
  remaining: bigint;
  resetsAt: Date;
}

/** issue 7 §4's allowed answer, less `decisionId` (the service's). */
export interface Admission {
  allowed: true;
  reservationId: string;
  policies: PolicyReference[];
  pii: PiiVerdict;
  quotas: QuotaStanding[];
  /** Soft quotas this request ran past: record and alert, never refuse. */
  softExceeded: QuotaStanding[];
}

export type StaticDecision = Refusal | PendingAdmission;
export type Decision = Refusal | Admission;
