import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { Paging } from '../../engine/graphql/list-arguments';
import { AlertsRepository } from './alerts.repository';
import type { AlertDeliveryEntity, AlertEventEntity } from './alert.entities';
import type { AlertFilter, AlertModel } from './models/alert.models';

/** Alert history with each alert's notifications and how they went. */
@Injectable()
export class AlertHistoryService {
  constructor(private readonly repository: AlertsRepository) {}

  async list(paging: Paging<string>, filter: AlertFilter): Promise<{ rows: AlertModel[]; total: number }> {
    const { rows, total } = await this.repository.listAlerts(paging as Paging<keyof AlertEventEntity & string>, listFilterOf(filter));
    return { rows: await this.withDeliveries(rows), total };
  }

  async count(paging: Paging<string>, filter: AlertFilter): Promise<number> {
    return (await this.repository.listAlerts(paging as Paging<keyof AlertEventEntity & string>, listFilterOf(filter))).total;
  }

  async get(id: string): Promise<AlertModel> {
    const event = await this.repository.findAlert(id);
    if (!event) throw new DomainError(ErrorCode.NotFound, `No alert with id ${id}`);
    return (await this.withDeliveries([event]))[0];
  }

  private async withDeliveries(events: AlertEventEntity[]): Promise<AlertModel[]> {
    const deliveries = await this.repository.deliveriesOf(events.map((event) => event.id));
    const channelNames = new Map((await this.repository.findChannels([...new Set(deliveries.map((delivery) => delivery.channelId))])).map((channel) => [channel.id, channel.name]));
    const byEvent = new Map<string, AlertDeliveryEntity[]>();
    for (const delivery of deliveries) byEvent.set(delivery.eventId, [...(byEvent.get(delivery.eventId) ?? []), delivery]);
    return events.map((event) => ({
      id: event.id,
      ruleId: event.ruleId,
      ruleName: event.ruleName,
      kind: event.kind,
      state: event.state,
      labels: event.labels ?? {},
      value: Number.isFinite(event.value) ? event.value : null,
      threshold: Number.isFinite(event.threshold) ? event.threshold : null,
      summary: event.summary,
      startedAt: event.startedAt,
      resolvedAt: event.resolvedAt,
      lastEvaluatedAt: event.lastEvaluatedAt,
      deliveries: (byEvent.get(event.id) ?? []).map((delivery) => ({
        id: delivery.id,
        channelId: delivery.channelId,
        channelName: channelNames.get(delivery.channelId) ?? null,
        transition: delivery.transition,
        status: delivery.status,
        attempts: delivery.attempts,
        lastError: delivery.lastError,
        nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
        deliveredAt: delivery.deliveredAt,
      })),
    }));
  }
}

function listFilterOf(filter: AlertFilter) {
  return {
    ids: filter.ids,
    ruleId: filter.ruleId,
    kind: filter.kind,
    state: filter.state,
    q: filter.q,
    team: filter.team,
    node: filter.node,
    startedFrom: filter.startedAt_gte,
    startedTo: filter.startedAt_lte,
  };
}
