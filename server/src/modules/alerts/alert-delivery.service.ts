import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { AlertsRepository } from './alerts.repository';
import type { AlertChannelEntity, AlertDeliveryEntity } from './alert.entities';
import { sendToChannel, deliveryTimeoutMs, type SendOutcome } from './delivery/http-sender';
import { nextAttemptAfterFailure, type RetrySchedule } from './delivery/retry-schedule';

/** Deliveries taken per round; the next round starts when these are done. */
const deliveriesPerRound = 20;
/** A taken delivery is someone else's to retry after this long (a sender that died mid-attempt). */
const claimLeaseMs = deliveryTimeoutMs * 6;

/**
 * Sends recorded notifications, retrying with exponential backoff. The record in Postgres is the truth: every
 * process may send (each takes different rows), a restart picks up what is pending, and a timer wakes the sender
 * when the next retry is due.
 */
@Injectable()
export class AlertDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertDelivery');
  readonly schedule: RetrySchedule;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private round: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly repository: AlertsRepository,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.schedule = { maxAttempts: config.alerts.maxAttempts, baseDelayMs: config.alerts.retryBaseMs, maxDelayMs: Math.max(config.alerts.retryBaseMs, 10 * 60_000) };
  }

  onApplicationBootstrap(): void {
    // Notifications a previous run recorded but did not finish are continued now.
    this.wakeAt(Date.now());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round?.catch(() => undefined);
  }

  /** Sends every delivery due now (and those that come due meanwhile); resolves with how many were attempted. */
  deliverDue(): Promise<number> {
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = this.runRounds().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /** Sends a channel a body once, without recording it (the channel test). */
  sendOnce(channel: AlertChannelEntity, body: unknown): Promise<SendOutcome> {
    return sendToChannel(channel, body, { 'x-warden-test': 'true' });
  }

  private async runRounds(): Promise<number> {
    let attempted = 0;
    do {
      this.again = false;
      for (;;) {
        if (this.stopped) return attempted;
        const due = await this.repository.claimDueDeliveries(new Date(), claimLeaseMs, deliveriesPerRound);
        if (due.length === 0) break;
        await Promise.all(due.map((delivery) => this.attempt(delivery)));
        attempted += due.length;
      }
    } while (this.again);
    const next = await this.repository.nextDueDelivery();
    if (next) this.wakeAt(next.getTime());
    return attempted;
  }

  private async attempt(delivery: AlertDeliveryEntity): Promise<void> {
    const channel = await this.repository.findChannel(delivery.channelId);
    const attempts = delivery.attempts + 1;
    const now = new Date();
    if (!channel) {
      await this.repository.recordDeliveryAttempt(delivery.id, { status: 'failed', attempts: delivery.attempts, lastError: 'the channel was deleted', nextAttemptAt: now, deliveredAt: null });
      return;
    }
    const outcome = await sendToChannel(channel, delivery.payload, { 'x-warden-alert-id': delivery.eventId, 'x-warden-delivery-id': delivery.id });
    const finished = new Date();
    if (outcome.ok) {
      await this.repository.recordDeliveryAttempt(delivery.id, { status: 'delivered', attempts, lastError: null, nextAttemptAt: finished, deliveredAt: finished });
      return;
    }
    const next = nextAttemptAfterFailure(this.schedule, attempts, finished);
    await this.repository.recordDeliveryAttempt(delivery.id, { status: next ? 'pending' : 'failed', attempts, lastError: outcome.error, nextAttemptAt: next ?? finished, deliveredAt: null });
    if (!next) this.logger.warn(`Alert notification ${delivery.id} to channel ${channel.name} failed ${attempts} times; giving up: ${outcome.error}`);
  }

  private wakeAt(due: number): void {
    if (this.stopped || due >= this.timerDue) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timerDue = Infinity;
      this.deliverDue().catch((error: unknown) => {
        this.logger.error(`Alert delivery failed: ${error instanceof Error ? error.message : String(error)}`);
        // The store is probably down: look again in a while rather than never.
        this.wakeAt(Date.now() + this.schedule.baseDelayMs);
      });
    }, Math.max(0, due - Date.now()));
    this.timer.unref();
  }
}
