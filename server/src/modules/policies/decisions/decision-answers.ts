import type { PiiAction, PiiActions, PiiFinding } from '../pii';
import type { PolicyDecisionRow } from './policy-decision-row';
import type { ReservationContext } from './reservation-token';
import type { EffectiveRetention, NodeLocation, PolicyReference, QuotaStanding, RefusalReason } from '../rules';

/** Where a decision was asked for: recorded with it. */
export type DecisionSource = 'http' | 'gateway';

/** Who asks, besides what the body says. */
export interface DecisionContext {
  source: DecisionSource;
  /** The API key's id: key-scoped policies apply to it, and it is recorded. */
  keyId?: string;
  /** The team the API key belongs to: the request's team must be it (or left out). */
  keyTeam?: string;
  /** Where `node` runs, when the caller knows it (the gateway); else read from the node registry. */
  nodeLocation?: NodeLocation;
  /** The decision's instant (tests); default now. */
  now?: Date;
  /**
   * Takes the decision's row instead of the writer: the gateway keeps it in its journal with the request and hands
   * both over together (DecisionService.storeDecisionRows).
   */
  recordWith?: (row: PolicyDecisionRow) => void;
  /**
   * The caller settles or releases the reservation in this process, through the outcome's `reservation` (the
   * gateway): no reservation id is signed for it, and the decision records the counters' own reservation id.
   */
  settlesHere?: boolean;
}

/** issue 7 §4, literally: `{"allowed": true, "decisionId", "reservationId", "policies", "pii"}`. */
export interface AllowedAnswer {
  allowed: true;
  decisionId: string;
  reservationId: string;
  policies: PolicyReference[];
  pii: { action: PiiAction; text?: string; findings: PiiFinding[] };
}

/** issue 7 §4, literally: `{"allowed": false, "reason", "message", "retryAfterSeconds"?, "policy"}`. */
export interface RefusedAnswer {
  allowed: false;
  reason: RefusalReason;
  message: string;
  retryAfterSeconds?: number;
  policy: PolicyReference;
}

export type AuthorizeAnswer = AllowedAnswer | RefusedAnswer;

/** The answer and what a gateway needs besides it (x-ratelimit-* headers, routing). */
export interface AuthorizeOutcome {
  answer: AuthorizeAnswer;
  decisionId: string;
  /** Hard and soft quotas the request was held against, after its hold (empty when refused or uncounted). */
  quotas: QuotaStanding[];
  /** Soft quotas this request ran past (recorded with the decision: alert, never refuse). */
  softExceeded: QuotaStanding[];
  /** Personal data found that some policy keeps on premises: route to an on-premises node only. */
  onPremisesOnly: boolean;
  /** What settling needs, for a caller that settles here (`settlesHere`); null when refused. */
  reservation: ReservationContext | null;
}

/**
 * `POST /api/v1/usage`'s answer. `settled`: counted in place of the hold. `expired`: the hold had lapsed or the
 * reservation is not known any more; the usage was counted all the same (`counted`), against the quotas the
 * reservation was made under. `already_settled`: this reservation's usage was counted before; not counted again.
 */
export interface SettleAnswer {
  reservation: 'settled' | 'expired' | 'already_settled';
  counted: boolean;
}

/** `POST /api/v1/redact`'s answer (issue 7 §5), literally. */
export interface RedactAnswer {
  text: string;
  findings: PiiFinding[];
  blocked: boolean;
}

/** What ingest applies to one team's (or key's) data: cheap to ask per batch (cached per policy generation). */
export interface EffectivePolicy {
  policies: PolicyReference[];
  /** Per detector, the strictest action of every applicable policy; a detector left out is not run. */
  piiActions: PiiActions;
  keepOnPremises: boolean;
  /** Each field from the most specific scope that sets it, requestsDays never under the floor; absent: no policy sets it. */
  retention: EffectiveRetention;
}

/** A month's USD budget of a team, for chargeback. */
export interface MonthlyUsdQuota {
  policy: PolicyReference;
  scope: { kind: 'org' | 'team'; subject: string };
  quota: string;
  /** Exact decimal USD, as written in the policy. */
  limitUsd: string;
  limitNanoUsd: bigint;
  enforcement: 'hard' | 'soft';
  timeZone: string;
  /** The month in the quota's time zone: [start, end). */
  periodStart: Date;
  periodEnd: Date;
  /** Model globs the quota counts; absent: every model. */
  models?: string[];
}

/** The console's playground: one policy (stored or a draft) tried on a model name and a text, nothing reserved. */
export interface PolicyTrial {
  modelAllowed: boolean;
  /** Why a request would be refused (model, personal data blocked). */
  reason?: RefusalReason;
  message?: string;
  piiAction: PiiAction;
  text: string;
  findings: PiiFinding[];
  blocked: boolean;
  /** The policy keeps personal data on premises, and the text has some. */
  onPremisesOnly: boolean;
  quotas: Array<{ name: string; metric: string; limit: string; period: string; timeZone: string; enforcement: string; counts: boolean }>;
}
