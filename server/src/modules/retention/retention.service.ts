import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { ClaimStore } from '../../engine/claims/claim-store';
import { withLeaseLock } from '../../engine/claims/lease-lock';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CLAIMS, CONFIG, QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { isUuid } from '../../engine/postgres/uuid';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { AuditService } from '../audit/audit.service';
import { DecisionService } from '../policies/decision.service';
import type { LegalHoldEntity } from './legal-hold.entity';
import { cutoffOf, planTeamRetention, type ClassPlan, type RetentionDataClass } from './retention-plan';
import { RetentionRepository, type ExpiredRange, type RowDataClass } from './retention.repository';

/** Who asked, as the audit log names actors. */
export interface RetentionActor {
  actor: string;
  role?: string;
}

/** One class-and-subject outcome of a sweep. */
export interface SweepOutcome {
  dataClass: RetentionDataClass;
  team: string | null;
  node: string | null;
  held: boolean;
  /** Rows deleted (content: requests whose content was emptied). */
  rows: number;
  from: string | null;
  to: string | null;
  cutoff: string | null;
}

export interface RetentionStatusRow {
  dataClass: RetentionDataClass;
  team: string | null;
  node: string | null;
  policyDays: number | null;
  held: boolean;
  oldestKept: Date | null;
  rowsKept: number;
  /** The oldest row kept is no older than the policy allows (one sweep interval of slack for TTL merges). */
  withinPolicy: boolean;
  lastSweepAt: Date | null;
  lastSweepRows: number;
  receipts: number;
}

const maxReasonLength = 2000;
const maxTeamLength = 200;

/**
 * Applies each team's retention to the rows already stored: the per-row TTL keeps the policy in force at ingest,
 * and this sweep brings stored rows to the policy in force now (shorter or longer), deletes what is past it,
 * empties content past `contentDays`, and writes one deletion receipt per data class and team to the audit log.
 * A legal hold on a team suspends all of that for the team. Runs under a lock shared by every process.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly repository: RetentionRepository,
    private readonly decisions: DecisionService,
    private readonly audit: AuditService,
    @Inject(QUEUE) private readonly queue: QueuePort,
    @Inject(CLAIMS) private readonly claims: ClaimStore,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {
  }

  onModuleInit(): void {
    this.queue.registerHandler('retention.sweep', (payload, progress) => this.sweep({ actor: payload.requestedBy }, payload.teams, progress));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.retentionSweepMinutes > 0) {
      await this.queue.schedule('retention.sweep', { requestedBy: 'system' }, this.config.retentionSweepMinutes * 60_000);
    }
  }

  /** Queues a sweep (of every team, or those named); returns the job id. */
  requestSweep(requestedBy: string, teams?: string[]): Promise<string> {
    return this.queue.enqueue('retention.sweep', { requestedBy, teams });
  }

  async sweep(actor: RetentionActor, teams: string[] | undefined, progress: (percent: number) => Promise<void> = async () => undefined): Promise<SweepOutcome[]> {
    return withLeaseLock(this.claims, 'retention.sweep', () => this.sweepNow(actor, teams, progress), {
      onWait: () => this.logger.log('Another retention sweep is running; this one starts when it ends'),
    });
  }

  private async sweepNow(actor: RetentionActor, onlyTeams: string[] | undefined, progress: (percent: number) => Promise<void>): Promise<SweepOutcome[]> {
    const now = new Date();
    const held = await this.repository.heldTeams();
    const [requestTeams, scoreTeams] = await Promise.all([this.repository.subjects('requests'), this.repository.subjects('scores')]);
    const requestTeamSet = new Set(requestTeams);
    const scoreTeamSet = new Set(scoreTeams);
    let teams = [...new Set([...requestTeams, ...scoreTeams])].sort();
    if (onlyTeams) teams = teams.filter((team) => onlyTeams.includes(team));
    const nodes = onlyTeams ? [] : await this.repository.subjects('gpu');
    const outcomes: SweepOutcome[] = [];
    const total = teams.length + nodes.length;
    let done = 0;
    for (const team of teams) {
      const policy = await this.decisions.resolvePolicy(team);
      const plan = planTeamRetention(policy.retention, {
        held: held.has(team),
        floorDays: this.config.retentionFloorDays,
        defaultDays: this.config.retentionDays,
      });
      if (requestTeamSet.has(team)) {
        // Rows first: content of a row about to be deleted is not emptied (nor counted) first.
        outcomes.push(await this.sweepRows('requests', team, plan.requests, plan.held, now, actor));
        outcomes.push(await this.sweepContent(team, plan.content, plan.held, now, actor));
      }
      if (scoreTeamSet.has(team)) outcomes.push(await this.sweepRows('scores', team, plan.scores, plan.held, now, actor));
      await progress(Math.min(99, Math.round((++done / Math.max(total, 1)) * 100)));
    }
    for (const node of nodes) {
      // GPU samples belong to nodes: the node's policy (gpuDays), else the organisation's; holds are per team.
      const days = (await this.decisions.gpuRetentionDays(node)) ?? this.config.retentionDays;
      outcomes.push(await this.sweepRows('gpu', node, { deleteAfterDays: days, stampDays: days }, false, now, actor));
      await progress(Math.min(99, Math.round((++done / Math.max(total, 1)) * 100)));
    }
    const removed = outcomes.reduce((sum, outcome) => sum + outcome.rows, 0);
    this.logger.log(`Retention sweep: ${outcomes.length} class(es) and subject(s) checked, ${removed} row(s) removed or emptied`);
    return outcomes;
  }

  private async sweepRows(dataClass: RowDataClass, subject: string, plan: ClassPlan, held: boolean, now: Date, actor: RetentionActor): Promise<SweepOutcome> {
    let expired: ExpiredRange = { rows: 0, oldest: null, newest: null };
    const cutoff = plan.deleteAfterDays === null ? null : cutoffOf(now, plan.deleteAfterDays);
    if (cutoff) {
      expired = await this.repository.expiredRows(dataClass, subject, cutoff);
      if (expired.rows > 0) await this.repository.deleteRows(dataClass, subject, cutoff);
    }
    await this.repository.stampRetention(dataClass, subject, plan.stampDays);
    return this.finish(dataClass, subject, held, expired, cutoff, plan.deleteAfterDays, now, actor);
  }

  private async sweepContent(team: string, plan: ClassPlan, held: boolean, now: Date, actor: RetentionActor): Promise<SweepOutcome> {
    let expired: ExpiredRange = { rows: 0, oldest: null, newest: null };
    const cutoff = plan.deleteAfterDays === null ? null : cutoffOf(now, plan.deleteAfterDays);
    if (cutoff) {
      expired = await this.repository.expiredContent(team, cutoff);
      if (expired.rows > 0) await this.repository.emptyContent(team, cutoff);
    }
    await this.repository.stampContentRetention(team, plan.stampDays);
    return this.finish('content', team, held, expired, cutoff, plan.deleteAfterDays, now, actor);
  }

  /** Records the sweep of one class and subject, and writes its deletion receipt when anything was removed. */
  private async finish(
    dataClass: RetentionDataClass,
    subject: string,
    held: boolean,
    expired: ExpiredRange,
    cutoff: Date | null,
    policyDays: number | null,
    now: Date,
    actor: RetentionActor,
  ): Promise<SweepOutcome> {
    const isNode = dataClass === 'gpu';
    const outcome: SweepOutcome = {
      dataClass,
      team: isNode ? null : subject,
      node: isNode ? subject : null,
      held,
      rows: expired.rows,
      from: expired.oldest === null ? null : dateFromClickhouseTime(expired.oldest).toISOString(),
      to: expired.newest === null ? null : dateFromClickhouseTime(expired.newest).toISOString(),
      cutoff: cutoff?.toISOString() ?? null,
    };
    const receipt = expired.rows > 0;
    if (receipt) {
      await this.audit.record({
        action: 'retention.sweep',
        actor: actor.actor,
        actorRole: actor.role,
        targetType: 'dataClass',
        targetId: dataClass,
        team: outcome.team,
        details: { dataClass, team: outcome.team, node: outcome.node, from: outcome.from, to: outcome.to, rows: outcome.rows, cutoff: outcome.cutoff, policyDays },
      });
    }
    await this.repository.recordSweep(dataClass, subject, now, expired.rows, receipt, policyDays);
    return outcome;
  }

  // Legal holds

  async placeHold(team: string, reason: string, actor: RetentionActor): Promise<LegalHoldEntity> {
    const problems = [];
    if (team.trim() === '' || team.length > maxTeamLength) problems.push({ field: 'team', message: `must be a team name of 1 to ${maxTeamLength} characters` });
    if (reason.trim() === '' || reason.length > maxReasonLength) problems.push({ field: 'reason', message: `must say why, in 1 to ${maxReasonLength} characters` });
    if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.map((problem) => `${problem.field} ${problem.message}`).join('; '), problems);
    const hold = await this.repository.createHold({ team, reason, placedBy: actor.actor, placedAt: new Date() }, (saved, manager) =>
      this.audit.record(
        { action: 'legalHold.place', actor: actor.actor, actorRole: actor.role, targetType: 'legalHold', targetId: saved.id, team, after: { team, reason } },
        { within: manager },
      ),
    );
    // Stamp the team's rows now, so no TTL expires them before the next scheduled sweep.
    await this.requestSweep(actor.actor, [team]);
    return hold;
  }

  async releaseHold(id: string, actor: RetentionActor): Promise<LegalHoldEntity> {
    const existing = isUuid(id) ? await this.repository.findHold(id) : null;
    if (!existing) throw new DomainError(ErrorCode.NotFound, `No legal hold ${id}`);
    if (existing.releasedAt) throw new DomainError(ErrorCode.Conflict, `Legal hold ${id} was already released at ${existing.releasedAt.toISOString()}`);
    const released = await this.repository.releaseHold(id, actor.actor, new Date(), (hold, manager) =>
      this.audit.record(
        {
          action: 'legalHold.release',
          actor: actor.actor,
          actorRole: actor.role,
          targetType: 'legalHold',
          targetId: id,
          team: hold.team,
          before: { team: hold.team, reason: hold.reason, placedAt: hold.placedAt.toISOString() },
        },
        { within: manager },
      ),
    );
    if (!released) throw new DomainError(ErrorCode.Conflict, `Legal hold ${id} was already released`);
    // The policy applies to the team again from the next sweep; run it now for that team.
    await this.requestSweep(actor.actor, [released.team]);
    return released;
  }

  listHolds(activeOnly: boolean): Promise<LegalHoldEntity[]> {
    return this.repository.listHolds(activeOnly);
  }

  // Status

  /** Per data class and team (node for gpu): oldest row kept against the policy, last sweep, receipts. */
  async status(now = new Date()): Promise<RetentionStatusRow[]> {
    const [held, requests, scores, gpu, content, states] = await Promise.all([
      this.repository.heldTeams(),
      this.repository.oldestRows('requests'),
      this.repository.oldestRows('scores'),
      this.repository.oldestRows('gpu'),
      this.repository.oldestContent(),
      this.repository.allSweepStates(),
    ]);
    const stateOf = new Map(states.map((state) => [`${state.dataClass}\u0000${state.subject}`, state]));
    const slackMs = Math.max(this.config.retentionSweepMinutes, 60) * 60_000 + 86_400_000;
    const rows: RetentionStatusRow[] = [];
    const add = (dataClass: RetentionDataClass, subject: string, policyDays: number | null, isHeld: boolean, kept: { oldest: string; rows: number } | undefined) => {
      const state = stateOf.get(`${dataClass}\u0000${subject}`);
      const oldestKept = kept ? dateFromClickhouseTime(kept.oldest) : null;
      rows.push({
        dataClass,
        team: dataClass === 'gpu' ? null : subject,
        node: dataClass === 'gpu' ? subject : null,
        policyDays,
        held: isHeld,
        oldestKept,
        rowsKept: kept?.rows ?? 0,
        withinPolicy: isHeld || policyDays === null || oldestKept === null || oldestKept.getTime() >= now.getTime() - policyDays * 86_400_000 - slackMs,
        lastSweepAt: state?.lastSweptAt ?? null,
        lastSweepRows: Number(state?.lastRows ?? 0),
        receipts: state?.receipts ?? 0,
      });
    };
    const teams = [...new Set([...requests.keys(), ...scores.keys()])].sort();
    for (const team of teams) {
      const policy = await this.decisions.resolvePolicy(team);
      // The policy's days are shown; a held team's rows are kept whatever they say.
      const plan = planTeamRetention(policy.retention, { held: false, floorDays: this.config.retentionFloorDays, defaultDays: this.config.retentionDays });
      const isHeld = held.has(team);
      if (requests.has(team)) {
        add('content', team, plan.content.deleteAfterDays, isHeld, content.get(team));
        add('requests', team, plan.requests.deleteAfterDays, isHeld, requests.get(team));
      }
      if (scores.has(team)) add('scores', team, plan.scores.deleteAfterDays, isHeld, scores.get(team));
    }
    for (const node of [...gpu.keys()].sort()) {
      add('gpu', node, (await this.decisions.gpuRetentionDays(node)) ?? this.config.retentionDays, false, gpu.get(node));
    }
    return rows;
  }
}
