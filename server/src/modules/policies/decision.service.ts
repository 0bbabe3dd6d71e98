import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DerivedKeys } from '../../engine/auth/derived-keys';
import type { WardenConfig } from '../../engine/config/config';
import type { CounterItem, QuotaCounters, ReserveOutcome, SettleOutcome } from '../../engine/counters';
import { CONFIG, QUOTA_COUNTERS } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { nanoUsdFromDecimal } from '../../engine/money/exact-decimal';
import { PricingService } from '../pricing/pricing.service';
import type {
  AuthorizeAnswer,
  AuthorizeOutcome,
  DecisionContext,
  EffectivePolicy,
  MonthlyUsdQuota,
  PolicyTrial,
  RedactAnswer,
  SettleAnswer,
} from './decisions/decision-answers';
import { NodeLocations } from './decisions/node-locations';
import { monthOf, monthlyUsdQuotasOf } from './decisions/monthly-usd-quotas';
import { policyDecisionRow, type PolicyDecisionRow } from './decisions/policy-decision-row';
import { tryPolicyDocument } from './decisions/policy-trial';
import { ReservationTokens, type ReservationContext } from './decisions/reservation-token';
import { withTimeout } from './decisions/with-timeout';
import type { AuthorizeInput, RedactInput, SettleInput } from './dto/decision-inputs';
import type { PolicyDocument, VersionedPolicy } from './document';
import { PII_DETECTORS, redact, type PiiActions, type RedactResult } from './pii';
import { PoliciesService } from './policies.service';
import { PolicyDecisionsRepository } from './policy-decisions.repository';
import { PolicySnapshot } from './policy-snapshot';
import {
  applicablePolicies,
  combinePii,
  completeDecision,
  decide,
  decideModel,
  effectiveGpuRetentionDays,
  effectiveRetention,
  quotaDemands,
  referenceOf,
  usageFigures,
  type Decision,
  type DecisionRequest,
  type PendingAdmission,
  type PolicyReference,
  type QuotaDemand,
  type Refusal,
} from './rules';

/** A quota store that does not answer in this long counts as down (fail closed or open, per configuration). */
const QUOTA_STORE_TIMEOUT_MS = 2_000;
/** What a caller refused because the quota store is down is told to wait before retrying. */
const QUOTA_STORE_RETRY_AFTER_SECONDS = 5;
/** Every detector on `mask`: what /redact applies without a policy. */
const MASK_EVERYTHING: PiiActions = Object.fromEntries(PII_DETECTORS.map((detector) => [detector, 'mask']));

/** A counter registered once per registry, shared by every service instance on it. */
function counterOn<Label extends string>(registry: Registry, name: string, help: string, labelNames: Label[]): Counter<Label> {
  return (registry.getSingleMetric(name) as Counter<Label> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/**
 * The decision engine: the one place policy rules are evaluated, over the pure rules (rules/) and the quota
 * counters. Used by POST /api/v1/authorize and /usage, by the gateway (authorize, settle, allowedModels), by ingest
 * (resolvePolicy, redactText) and by chargeback (monthlyUsdQuotas).
 */
@Injectable()
export class DecisionService {
  private readonly logger = new Logger('Decisions');
  private readonly reservations: ReservationTokens;
  private readonly hashKey: Buffer;
  private readonly holdMs: number;
  private readonly effectiveCache = new Map<string, EffectivePolicy>();
  private effectiveCacheGeneration = -1;
  private lastStoreFailureLog = 0;
  private readonly decisionsTotal: Counter<'allowed' | 'reason' | 'source'>;
  private readonly unrecordedTotal: Counter;
  private readonly quotaStoreFailures: Counter<'operation'>;

  constructor(
    private readonly snapshot: PolicySnapshot,
    private readonly policies: PoliciesService,
    private readonly records: PolicyDecisionsRepository,
    private readonly pricing: PricingService,
    private readonly nodeLocations: NodeLocations,
    @Inject(QUOTA_COUNTERS) private readonly counters: QuotaCounters,
    @Inject(CONFIG) private readonly config: WardenConfig,
    keys: DerivedKeys,
    registry: Registry,
  ) {
    this.decisionsTotal = counterOn(registry, 'warden_policy_decisions_total', 'Policy decisions, by outcome', ['allowed', 'reason', 'source']);
    this.unrecordedTotal = counterOn(registry, 'warden_policy_decisions_unrecorded_total', 'Decisions ClickHouse did not take (logged)', []);
    this.quotaStoreFailures = counterOn(registry, 'warden_quota_store_failures_total', 'Quota counter calls that failed or timed out', ['operation']);
    this.reservations = new ReservationTokens(keys.keyFor('policies/reservation-id'));
    this.hashKey = keys.keyFor('policies/pii-hash');
    this.holdMs = config.quotas.holdSeconds * 1000;
  }

  /** `POST /api/v1/authorize`: the contract's answer (issue 7 §4). */
  async authorize(input: AuthorizeInput, context: DecisionContext): Promise<AuthorizeAnswer> {
    return (await this.authorizeRequest(input, context)).answer;
  }

  /**
   * One decision: models, personal data, node location, then every applicable quota reserved in one atomic step.
   * Recorded in ClickHouse (policy_decisions) in the background; the answer does not wait for the store.
   */
  async authorizeRequest(input: AuthorizeInput, context: DecisionContext): Promise<AuthorizeOutcome> {
    const at = context.now?.getTime() ?? Date.now();
    const team = this.teamOf(input.team, context.keyTeam);
    const decisionId = randomUUID();
    const policies = await this.snapshot.current(at);
    const node = input.node === undefined ? undefined : { name: input.node, location: context.nodeLocation ?? (await this.nodeLocations.locationOf(input.node)) };
    const subject = { team, keyId: context.keyId, node };
    const applicable = applicablePolicies(policies, subject);
    const pii = combinePii(applicable);
    const redaction = input.text === undefined ? undefined : this.redactText(input.text, pii.actions);
    const estimatedTokens = BigInt(input.inputTokens) + BigInt(input.maxOutputTokens ?? 0);
    const request: DecisionRequest = {
      ...subject,
      model: input.model,
      estimatedTokens,
      estimatedCostNanoUsd: this.estimateCost(input, applicable, at),
      findings: redaction?.findings ?? [],
      at,
    };
    const first = decide(applicable, request);
    const decision: Decision = first.allowed ? await this.reserve(first, at) : first;
    const outcome = this.outcomeOf(decision, decisionId, request, redaction, context.settlesHere === true);
    this.record(decision, outcome, { input, context, request, applicable, redaction });
    return outcome;
  }

  /**
   * `POST /api/v1/usage`: counts what the request used in place of its hold. Usage is always counted: after the
   * hold lapsed, and after the counters forgot the reservation, against the quotas it was made under (recomputed
   * from the reservation id, which carries the request). Unknown ids (not issued here) count nothing.
   */
  async settle(input: SettleInput): Promise<SettleAnswer> {
    const reservation = this.reservations.read(input.reservationId);
    if (!reservation) return { reservation: 'expired', counted: false };
    return this.settleReservation(reservation, input);
  }

  /** Settles a reservation its caller kept (`settlesHere`: the gateway), as `settle` does one read from its id. */
  async settleReservation(reservation: ReservationContext, usage: Omit<SettleInput, 'reservationId'>): Promise<SettleAnswer> {
    const costNanoUsd = usage.costUsd !== undefined ? nanoUsdFromDecimal(usage.costUsd) : this.priceUsage(reservation, usage);
    const actual = usageFigures({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costNanoUsd: costNanoUsd ?? undefined });
    const fallbackItems = (await this.demandsOf(reservation)).map((demand) => demand.counter);
    if (reservation.counterReservationId === '' && fallbackItems.length === 0) return { reservation: 'settled', counted: true };
    let outcome: SettleOutcome;
    try {
      outcome = await this.bounded(this.counters.settle(reservation.counterReservationId, actual, { fallbackItems, forget: reservation.settlesHere === true }));
    } catch (error) {
      if (error instanceof RangeError) throw error;
      this.quotaStoreFailures.inc({ operation: 'settle' });
      // Usage must be counted: the caller is told to send it again rather than have it dropped.
      throw new DomainError(ErrorCode.StoreUnavailable, `quota counters unavailable (${this.counters.driver}): usage not counted yet, send it again`, {
        retryAfterSeconds: QUOTA_STORE_RETRY_AFTER_SECONDS,
      });
    }
    if (reservation.counterReservationId === '') return { reservation: 'settled', counted: true };
    if (outcome.status === 'settled') return { reservation: 'settled', counted: true };
    if (outcome.status === 'already_settled') return { reservation: 'already_settled', counted: false };
    return { reservation: 'expired', counted: true };
  }

  /** Drops a reservation's hold without counting anything: the request never ran (the gateway's upstream failed). */
  async release(reservationId: string): Promise<void> {
    const reservation = this.reservations.read(reservationId);
    if (reservation) await this.releaseReservation(reservation);
  }

  /** `release` for a reservation its caller kept (`settlesHere`). */
  async releaseReservation(reservation: ReservationContext): Promise<void> {
    if (reservation.counterReservationId !== '') await this.counters.release(reservation.counterReservationId, { forget: reservation.settlesHere === true });
  }

  /** `POST /api/v1/redact`: a policy's personal-data rules (its own, not combined) previewed on a text. */
  async redact(input: RedactInput): Promise<RedactAnswer> {
    let actions = MASK_EVERYTHING;
    if (input.policyId !== undefined) {
      const policy = await this.policies.find(input.policyId);
      if (!policy || policy.deleted) throw new DomainError(ErrorCode.NotFound, `No policy named ${JSON.stringify(input.policyId)}`);
      actions = policy.document.pii?.detectors ?? {};
    }
    const result = this.redactText(input.text, actions);
    return { text: result.text, findings: result.findings, blocked: result.blocked };
  }

  /** Applies detector actions to a text (the `hash` action keyed by a key derived from WARDEN_SECRET). */
  redactText(text: string, actions: PiiActions): RedactResult {
    return redact(text, actions, { hashKey: this.hashKey });
  }

  /**
   * The console's playground: one policy document on its own (stored or a draft) tried on a model name and a text.
   * Nothing is reserved or recorded; scope and other policies play no part.
   */
  tryPolicy(document: PolicyDocument, model: string | undefined, text: string | undefined): PolicyTrial {
    return tryPolicyDocument(document, model, text, (input, actions) => this.redactText(input, actions));
  }

  /** Of `candidates`, the model names the team (and key, and node) may use: for the gateway's `/v1/models`. */
  async allowedModels(subject: { team?: string; keyId?: string; node?: string }, candidates: readonly string[]): Promise<string[]> {
    const applicable = applicablePolicies(await this.snapshot.current(), { team: subject.team, keyId: subject.keyId, node: subject.node ? { name: subject.node } : undefined });
    return candidates.filter((model) => decideModel(applicable, model).allowed);
  }

  /**
   * What ingest applies to a team's (and key's) data: PII actions, keepOnPremises, retention. Cached until the
   * policies change, so it can be asked per batch.
   */
  async resolvePolicy(team: string | undefined, keyId?: string): Promise<EffectivePolicy> {
    const policies = await this.snapshot.current();
    if (this.effectiveCacheGeneration !== this.snapshot.generation) {
      this.effectiveCache.clear();
      this.effectiveCacheGeneration = this.snapshot.generation;
    }
    const cacheKey = `${team ?? ''}\u0000${keyId ?? ''}`;
    let effective = this.effectiveCache.get(cacheKey);
    if (!effective) {
      const applicable = applicablePolicies(policies, { team, keyId });
      const pii = combinePii(applicable);
      effective = {
        policies: applicable.map(referenceOf),
        piiActions: pii.actions,
        keepOnPremises: pii.keepOnPremises,
        retention: effectiveRetention(applicable, this.config.retentionFloorDays),
      };
      if (this.effectiveCache.size > 10_000) this.effectiveCache.clear();
      this.effectiveCache.set(cacheKey, effective);
    }
    return effective;
  }

  /**
   * A node's policy as its agent pulls it: of the candidate models (those the node serves) and the model names the
   * applicable policies allow literally (not globs), those the organisation's and the node's policies allow; with
   * the policies that applied, whose versions change whenever the policy does.
   */
  async nodeAllowedModels(node: string, candidates: readonly string[]): Promise<{ allowedModels: string[]; policies: PolicyReference[] }> {
    const applicable = applicablePolicies(await this.snapshot.current(), { node: { name: node } });
    const named = applicable.flatMap((policy) => policy.document.models?.allow ?? []).filter((model) => !/[*?[\]{}()!+@|\\]/.test(model));
    const models = [...new Set([...candidates, ...named])].sort();
    return { allowedModels: models.filter((model) => decideModel(applicable, model).allowed), policies: applicable.map(referenceOf) };
  }

  /** How long a node's GPU samples are kept: its own policy's gpuDays, else the organisation's; undefined if neither says. */
  async gpuRetentionDays(node: string): Promise<number | undefined> {
    return effectiveGpuRetentionDays(applicablePolicies(await this.snapshot.current(), { node: { name: node } }));
  }

  /**
   * A team's USD budgets for a month (`YYYY-MM`): every monthly costUsd quota of the org's and the team's
   * policies, as in force at the month's end (or now, for the current month), with the month's bounds in each
   * quota's time zone.
   */
  async monthlyUsdQuotas(team: string, month: string, now = new Date()): Promise<MonthlyUsdQuota[]> {
    const { endsBy } = monthOf(month);
    const policies = endsBy > now.getTime() ? await this.snapshot.current() : await this.policies.inForceAt(new Date(endsBy));
    return monthlyUsdQuotasOf(policies, team, month);
  }

  private teamOf(requested: string | undefined, keyTeam: string | undefined): string {
    if (keyTeam !== undefined) {
      if (requested !== undefined && requested !== keyTeam) {
        throw new DomainError(ErrorCode.Forbidden, `This API key belongs to team ${JSON.stringify(keyTeam)} and cannot ask for team ${JSON.stringify(requested)}`);
      }
      return keyTeam;
    }
    if (requested === undefined) {
      throw new DomainError(ErrorCode.Validation, 'team: is required (an organisation-level key names the team)', { problems: [{ field: 'team', message: 'is required' }] });
    }
    return requested;
  }

  /** The caller's estimate, else the catalog's price of inputTokens + maxOutputTokens; only when a cost quota applies. */
  private estimateCost(input: AuthorizeInput, applicable: readonly VersionedPolicy[], at: number): bigint | undefined {
    if (input.estimatedCostUsd !== undefined) return nanoUsdFromDecimal(input.estimatedCostUsd);
    if (!applicable.some((policy) => policy.document.quotas.some((quota) => quota.metric === 'costUsd'))) return undefined;
    const priced = this.pricing.priceRequest(input.model, '', new Date(at), { inputTokens: input.inputTokens, outputTokens: input.maxOutputTokens ?? 0 }, null);
    return priced.costNanoUsd ?? undefined;
  }

  /**
   * A quota store call that counts as failed if it does not answer in time. The in-process counters answer in the
   * same turn or throw, so they go without the timer (one per decision, and one per settle, on the gateway's path).
   */
  private bounded<T>(call: Promise<T>): Promise<T> {
    return this.counters.driver === 'in-process' ? call : withTimeout(call, QUOTA_STORE_TIMEOUT_MS);
  }

  private priceUsage(reservation: ReservationContext, input: Omit<SettleInput, 'reservationId'>): bigint | null {
    return this.pricing.priceRequest(reservation.model, '', new Date(reservation.at), { inputTokens: input.inputTokens, outputTokens: input.outputTokens }, null).costNanoUsd;
  }

  /** The quota counters a reservation was made on, recomputed from the request it carries. */
  private async demandsOf(reservation: ReservationContext): Promise<QuotaDemand[]> {
    const policies = await this.snapshot.current();
    const node = reservation.node === undefined ? undefined : { name: reservation.node };
    const request = { team: reservation.team, keyId: reservation.keyId, node, model: reservation.model, estimatedTokens: 0n, at: reservation.at };
    return quotaDemands(applicablePolicies(policies, request), request);
  }

  /** Step two: every quota reserved at once, or the store's failure handled per WARDEN_QUOTA_FAILURE_MODE. */
  private async reserve(pending: PendingAdmission, at: number): Promise<Decision> {
    const items: CounterItem[] = pending.quotaDemands.map((demand) => demand.counter);
    if (items.length === 0) return completeDecision(pending, { admitted: true, reservationId: '', readings: [], softOverLimit: [] }, at);
    let outcome: ReserveOutcome;
    try {
      outcome = await this.bounded(this.counters.reserve(items, { holdMs: this.holdMs }));
    } catch (error) {
      if (error instanceof RangeError) throw error;
      return this.quotaStoreDown(pending, error, at);
    }
    return completeDecision(pending, outcome, at);
  }

  /** Hard quotas fail closed (a refusal to retry later) unless WARDEN_QUOTA_FAILURE_MODE=open; soft ones never refuse. */
  private quotaStoreDown(pending: PendingAdmission, error: unknown, at: number): Decision {
    this.quotaStoreFailures.inc({ operation: 'reserve' });
    const now = Date.now();
    if (now - this.lastStoreFailureLog > 10_000) {
      this.lastStoreFailureLog = now;
      const cause = error instanceof Error ? error.message : String(error);
      this.logger.error(`quota counters (${this.counters.driver}) unavailable: ${cause}; hard quotas ${this.config.quotas.failureMode === 'closed' ? 'refuse' : 'admit uncounted'}`);
    }
    const hard = pending.quotaDemands.find((demand) => demand.quota.enforcement === 'hard');
    if (hard && this.config.quotas.failureMode === 'closed') {
      const refusal: Refusal = {
        allowed: false,
        reason: 'rate_limit_exceeded',
        message: `quota counters unavailable: hard quota "${hard.quota.name}" of policy "${hard.policy.name}" cannot be checked, so the request is refused (WARDEN_QUOTA_FAILURE_MODE=closed); retry later`,
        retryAfterSeconds: QUOTA_STORE_RETRY_AFTER_SECONDS,
        policy: hard.policy,
      };
      return refusal;
    }
    return completeDecision({ ...pending, quotaDemands: [] }, { admitted: true, reservationId: '', readings: [], softOverLimit: [] }, at);
  }

  private outcomeOf(decision: Decision, decisionId: string, request: DecisionRequest, redaction: RedactResult | undefined, settlesHere: boolean): AuthorizeOutcome {
    if (!decision.allowed) {
      const answer: AuthorizeAnswer = { allowed: false, reason: decision.reason, message: decision.message, ...(decision.retryAfterSeconds !== undefined ? { retryAfterSeconds: decision.retryAfterSeconds } : {}), policy: decision.policy };
      return { answer, decisionId, quotas: [], softExceeded: [], onPremisesOnly: false, reservation: null };
    }
    const reservation: ReservationContext = {
      counterReservationId: decision.reservationId,
      decisionId,
      model: request.model,
      at: typeof request.at === 'number' ? request.at : request.at.getTime(),
      ...(request.team !== undefined ? { team: request.team } : {}),
      ...(request.keyId !== undefined ? { keyId: request.keyId } : {}),
      ...(request.node?.name !== undefined ? { node: request.node.name } : {}),
      ...(settlesHere ? { settlesHere: true as const } : {}),
    };
    // Signed only when it leaves the process: the HMAC was about 5% of the gateway's main thread.
    const reservationId = settlesHere ? decision.reservationId : this.reservations.issue(reservation);
    const pii = redaction === undefined ? { action: decision.pii.action, findings: decision.pii.findings } : { action: decision.pii.action, text: redaction.text, findings: decision.pii.findings };
    return {
      answer: { allowed: true, decisionId, reservationId, policies: decision.policies, pii },
      decisionId,
      quotas: decision.quotas,
      softExceeded: decision.softExceeded,
      onPremisesOnly: decision.pii.onPremisesOnly,
      reservation,
    };
  }

  /** Writes the decision's row; the answer never waits for it, and a failure to store is logged, not thrown. */
  private record(
    decision: Decision,
    outcome: AuthorizeOutcome,
    facts: { input: AuthorizeInput; context: DecisionContext; request: DecisionRequest; applicable: readonly VersionedPolicy[]; redaction?: RedactResult },
  ): void {
    const { input, context, request, applicable, redaction } = facts;
    const retentionDays = effectiveRetention(applicable, this.config.retentionFloorDays).requestsDays ?? Math.max(this.config.retentionDays, this.config.retentionFloorDays);
    const row = policyDecisionRow({
      decisionId: outcome.decisionId,
      decision,
      request,
      applicable,
      redaction,
      reservationId: outcome.answer.allowed ? outcome.answer.reservationId : undefined,
      user: input.user,
      keyId: context.keyId,
      source: context.source,
      retentionDays,
      recordedAt: new Date(),
    });
    this.decisionsTotal.inc({ allowed: String(decision.allowed), reason: row.reason, source: row.source });
    if (context.recordWith) context.recordWith(row);
    else void this.storeDecisionRows([row]);
  }

  /**
   * Writes decision rows; a failure is counted and logged, never thrown. `resent`: rows that may be stored already
   * (a journal a stopped process left), each looked up first so it counts once.
   */
  async storeDecisionRows(rows: PolicyDecisionRow[], options: { resent?: boolean } = {}): Promise<void> {
    try {
      await (options.resent ? this.records.writeResent(rows) : this.records.write(rows));
    } catch (error) {
      this.unrecordedTotal.inc(rows.length);
      this.logger.error(`${rows.length} decision(s) not recorded (${rows.slice(0, 3).map((row) => row.decision_id).join(', ')}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
