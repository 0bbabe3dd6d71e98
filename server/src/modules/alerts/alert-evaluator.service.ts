import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { ClaimStore } from '../../engine/claims/claim-store';
import { tryWithLeaseLock, withLeaseLock } from '../../engine/claims/lease-lock';
import type { WardenConfig } from '../../engine/config/config';
import { CLAIMS, CONFIG, QUEUE } from '../../engine/engine.module';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertSignalsService } from './alert-signals.service';
import { AlertsRepository } from './alerts.repository';
import type { AlertChannelEntity, AlertDeliveryEntity, AlertEventEntity, AlertRuleEntity, AlertState } from './alert.entities';
import { planTransitions, type Observation } from './rules/alert-transitions';
import { bodyFor, type AlertNotice } from './delivery/notification-bodies';

const evaluatorLock = 'alerts.evaluate';

export interface EvaluationReport {
  rules: number;
  fired: number;
  resolved: number;
  failedRules: number;
}

type NewDelivery = Omit<AlertDeliveryEntity, 'id' | 'createdAt' | 'eventId'>;

/**
 * Evaluates every enabled rule on the schedule: one evaluator at a time across all processes (the repeating job
 * reaches one consumer, and the run holds a lease lock besides), so each transition is decided once. Firing and
 * resolving write the alert and its notifications in one transaction; sending them is the delivery service's.
 */
@Injectable()
export class AlertEvaluatorService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Alerts');
  private installation: Promise<string> | undefined;

  constructor(
    private readonly repository: AlertsRepository,
    private readonly signals: AlertSignalsService,
    private readonly delivery: AlertDeliveryService,
    @Inject(QUEUE) private readonly queue: QueuePort,
    @Inject(CLAIMS) private readonly claims: ClaimStore,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler('alerts.evaluate', async (payload) => {
      // Servers of one installation share one Redis schedule; a Redis shared with another installation (another
      // database) may hand this process that installation's tick, which is not ours to evaluate.
      if (payload.installation !== (await this.installationId())) return { skipped: 'a tick of another installation' };
      const outcome = await tryWithLeaseLock(this.claims, await this.evaluatorLockName(), () => this.evaluateAll(new Date()));
      return outcome.ran ? outcome.result : { skipped: 'another evaluation is running' };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.schedule('alerts.evaluate', { installation: await this.installationId() }, this.config.alerts.intervalSeconds * 1000);
    } catch (error) {
      this.logger.error(`Alert evaluation could not be scheduled: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * One evaluator per installation: the lock is named after it, so installations sharing a Redis (or test files
   * sharing one) never skip each other's evaluations.
   */
  private async evaluatorLockName(): Promise<string> {
    return `${evaluatorLock}\u0000${await this.installationId()}`;
  }

  /** The Postgres server and database this process stores alerts in: what identifies its installation. */
  private installationId(): Promise<string> {
    this.installation ??= this.repository.databaseName().then(
      (name) => `${this.config.databaseUrl ? new URL(this.config.databaseUrl).host : 'embedded'}/${name}`,
      (error: unknown) => {
        // Asked again next time rather than failing every tick after one bad moment.
        this.installation = undefined;
        throw error;
      },
    );
    return this.installation;
  }

  /** Evaluates every enabled rule now, waiting for a running evaluation to finish first (console and tests). */
  async evaluateNow(now = new Date()): Promise<EvaluationReport> {
    return withLeaseLock(this.claims, await this.evaluatorLockName(), () => this.evaluateAll(now));
  }

  private async evaluateAll(now: Date): Promise<EvaluationReport> {
    const rules = await this.repository.enabledRules();
    const report: EvaluationReport = { rules: rules.length, fired: 0, resolved: 0, failedRules: 0 };
    for (const rule of rules) {
      let observations: Observation[];
      try {
        observations = await this.signals.observe(rule, now);
      } catch (error) {
        report.failedRules += 1;
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(`Alert rule ${rule.name} could not be evaluated (its alerts stay as they were): ${message}`);
        await this.repository.recordRuleEvaluation(rule.id, now, message.slice(0, 500));
        continue;
      }
      const outcome = await this.apply(rule, observations, now);
      report.fired += outcome.fired;
      report.resolved += outcome.resolved;
      await this.repository.recordRuleEvaluation(rule.id, now, null);
    }
    if (report.fired + report.resolved > 0) this.logger.log(`Alerts: ${report.fired} fired, ${report.resolved} resolved`);
    await this.delivery.deliverDue();
    return report;
  }

  private async apply(rule: AlertRuleEntity, observations: Observation[], now: Date): Promise<{ fired: number; resolved: number }> {
    const open = await this.repository.firingAlerts(rule.id);
    const plan = planTransitions(open, observations);
    const channels = (await this.repository.findChannels(rule.channelIds ?? [])).filter((channel) => channel.enabled);
    let fired = 0;
    let resolved = 0;
    for (const observation of plan.fire) {
      const event: Omit<AlertEventEntity, 'id'> = {
        ruleId: rule.id,
        ruleName: rule.name,
        kind: rule.kind,
        labels: observation.labels,
        labelsKey: observation.labelsKey,
        state: 'firing',
        value: observation.value,
        threshold: observation.threshold,
        summary: observation.summary,
        startedAt: now,
        resolvedAt: null,
        lastEvaluatedAt: now,
      };
      const stored = await this.repository.openAlert({ event, deliveries: (id) => deliveriesFor(channels, { ...event, id }, 'firing') });
      if (stored) fired += 1;
    }
    for (const { alert, observation } of plan.stillFiring) {
      await this.repository.refreshAlert(alert.id, observation.value, observation.threshold, observation.summary, now);
    }
    for (const alert of plan.resolve) {
      const stored = await this.repository.resolveAlert(alert.id, now, (event) => deliveriesFor(channels, event, 'resolved'));
      if (stored) resolved += 1;
    }
    return { fired, resolved };
  }
}

export function noticeOf(event: Omit<AlertEventEntity, 'lastEvaluatedAt' | 'labelsKey'>, state: AlertNotice['state']): AlertNotice {
  return {
    alertId: event.id,
    rule: { id: event.ruleId, name: event.ruleName, kind: event.kind },
    state,
    value: event.value,
    threshold: event.threshold,
    summary: event.summary,
    startedAt: event.startedAt,
    resolvedAt: event.resolvedAt,
    labels: event.labels,
  };
}

function deliveriesFor(channels: AlertChannelEntity[], event: AlertEventEntity, transition: AlertState): NewDelivery[] {
  return channels.map((channel) => ({
    channelId: channel.id,
    transition,
    status: 'pending' as const,
    attempts: 0,
    lastError: null,
    // Sent as soon as recorded, whatever instant the evaluation was for (an evaluation may be asked for another time).
    nextAttemptAt: new Date(),
    deliveredAt: null,
    payload: bodyFor(channel.kind, noticeOf(event, transition)),
  }));
}
