import { Injectable } from '@nestjs/common';
import { DataSource, ILike, In, type EntityManager, type FindOptionsWhere, type QueryDeepPartialEntity } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import { AlertChannelEntity, AlertDeliveryEntity, AlertEventEntity, AlertRuleEntity, type AlertState } from './alert.entities';

export interface ListQuery<Entity> {
  page: number;
  perPage: number;
  sortField: keyof Entity & string;
  sortOrder: 'ASC' | 'DESC';
}

export interface RuleListFilter {
  ids?: string[];
  q?: string;
  kind?: string;
  enabled?: boolean;
}

export interface ChannelListFilter {
  ids?: string[];
  q?: string;
  kind?: string;
}

export interface AlertListFilter {
  ids?: string[];
  ruleId?: string;
  kind?: string;
  state?: string;
  q?: string;
  team?: string;
  node?: string;
  startedFrom?: Date;
  startedTo?: Date;
}

/** A new alert and the notifications of its firing, stored together. */
export interface NewAlert {
  event: Omit<AlertEventEntity, 'id'>;
  deliveries: (eventId: string) => Array<Omit<AlertDeliveryEntity, 'id' | 'createdAt' | 'eventId'>>;
}

function escapeLike(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The only place that reads and writes alert rules, channels, alerts and deliveries. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rules() {
    return this.dataSource.getRepository(AlertRuleEntity);
  }

  private get channels() {
    return this.dataSource.getRepository(AlertChannelEntity);
  }

  private get events() {
    return this.dataSource.getRepository(AlertEventEntity);
  }

  private get deliveries() {
    return this.dataSource.getRepository(AlertDeliveryEntity);
  }

  /** The name of the database these tables live in (with the server's address, the installation's identity). */
  async databaseName(): Promise<string> {
    const rows = (await this.dataSource.query('SELECT current_database() AS name')) as Array<{ name: string }>;
    return rows[0].name;
  }

  // ---- rules

  async listRules(query: ListQuery<AlertRuleEntity>, filter: RuleListFilter): Promise<{ rows: AlertRuleEntity[]; total: number }> {
    const where: FindOptionsWhere<AlertRuleEntity> = {};
    if (filter.ids) where.id = In(filter.ids.filter(isUuid));
    if (filter.kind) where.kind = filter.kind as AlertRuleEntity['kind'];
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    if (filter.q) where.name = ILike(escapeLike(filter.q));
    const [rows, total] = await this.rules.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  enabledRules(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ where: { enabled: true }, order: { name: 'ASC' } });
  }

  findRule(id: string): Promise<AlertRuleEntity | null> {
    return isUuid(id) ? this.rules.findOneBy({ id }) : Promise.resolve(null);
  }

  findRuleByName(name: string): Promise<AlertRuleEntity | null> {
    return this.rules.findOneBy({ name });
  }

  saveRule(rule: Partial<AlertRuleEntity>): Promise<AlertRuleEntity> {
    return this.rules.save(this.rules.create(rule));
  }

  async deleteRule(id: string): Promise<void> {
    await this.rules.delete({ id });
  }

  async recordRuleEvaluation(id: string, at: Date, error: string | null): Promise<void> {
    // A plain update: the rule's updated_at is for edits by people, not for the evaluator's bookkeeping.
    await this.dataSource.query(`UPDATE alert_rules SET last_evaluated_at = $2, last_error = $3 WHERE id = $1`, [id, at, error]);
  }

  // ---- channels

  async listChannels(query: ListQuery<AlertChannelEntity>, filter: ChannelListFilter): Promise<{ rows: AlertChannelEntity[]; total: number }> {
    const where: FindOptionsWhere<AlertChannelEntity> = {};
    if (filter.ids) where.id = In(filter.ids.filter(isUuid));
    if (filter.kind) where.kind = filter.kind as AlertChannelEntity['kind'];
    if (filter.q) where.name = ILike(escapeLike(filter.q));
    const [rows, total] = await this.channels.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  findChannel(id: string): Promise<AlertChannelEntity | null> {
    return isUuid(id) ? this.channels.findOneBy({ id }) : Promise.resolve(null);
  }

  findChannelByName(name: string): Promise<AlertChannelEntity | null> {
    return this.channels.findOneBy({ name });
  }

  findChannels(ids: string[]): Promise<AlertChannelEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? Promise.resolve([]) : this.channels.findBy({ id: In(valid) });
  }

  saveChannel(channel: Partial<AlertChannelEntity>): Promise<AlertChannelEntity> {
    return this.channels.save(this.channels.create(channel));
  }

  async deleteChannel(id: string): Promise<void> {
    await this.channels.delete({ id });
  }

  // ---- alerts

  firingAlerts(ruleId: string): Promise<AlertEventEntity[]> {
    return this.events.findBy({ ruleId, state: 'firing' });
  }

  /**
   * Stores a firing alert and its notifications in one transaction, unless the rule already has a firing alert
   * for these labels (the partial unique index decides, whoever else is evaluating): returns null then.
   */
  async openAlert(alert: NewAlert): Promise<AlertEventEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(AlertEventEntity)
        .values(alert.event)
        .orIgnore()
        .returning(['id'])
        .execute();
      const rows = inserted.raw as Array<{ id: string }>;
      if (rows.length === 0) return null;
      const stored = await manager.findOneByOrFail(AlertEventEntity, { id: rows[0].id });
      await this.insertDeliveries(manager, alert.deliveries(stored.id).map((delivery) => ({ ...delivery, eventId: stored.id })));
      return stored;
    });
  }

  async refreshAlert(id: string, value: number, threshold: number, summary: string, at: Date): Promise<void> {
    await this.events.update({ id, state: 'firing' }, { value, threshold, summary, lastEvaluatedAt: at });
  }

  /** Resolves a firing alert and stores its notifications, once: a second resolver finds it resolved and does nothing. */
  async resolveAlert(
    id: string,
    at: Date,
    deliveries: (event: AlertEventEntity) => Array<Omit<AlertDeliveryEntity, 'id' | 'createdAt' | 'eventId'>>,
  ): Promise<AlertEventEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.update(AlertEventEntity, { id, state: 'firing' }, { state: 'resolved' as AlertState, resolvedAt: at, lastEvaluatedAt: at });
      if (!result.affected) return null;
      const event = await manager.findOneByOrFail(AlertEventEntity, { id });
      await this.insertDeliveries(manager, deliveries(event).map((delivery) => ({ ...delivery, eventId: id })));
      return event;
    });
  }

  private async insertDeliveries(manager: EntityManager, rows: Array<Omit<AlertDeliveryEntity, 'id' | 'createdAt'>>): Promise<void> {
    if (rows.length === 0) return;
    await manager.createQueryBuilder().insert().into(AlertDeliveryEntity).values(rows as Array<QueryDeepPartialEntity<AlertDeliveryEntity>>).orIgnore().execute();
  }

  async listAlerts(query: ListQuery<AlertEventEntity>, filter: AlertListFilter): Promise<{ rows: AlertEventEntity[]; total: number }> {
    const builder = this.events.createQueryBuilder('event');
    if (filter.ids) builder.andWhere('event.id IN (:...ids)', { ids: filter.ids.filter(isUuid).concat(['00000000-0000-0000-0000-000000000000']) });
    if (filter.ruleId) builder.andWhere('event.rule_id = :ruleId', { ruleId: isUuid(filter.ruleId) ? filter.ruleId : '00000000-0000-0000-0000-000000000000' });
    if (filter.kind) builder.andWhere('event.kind = :kind', { kind: filter.kind });
    if (filter.state) builder.andWhere('event.state = :state', { state: filter.state });
    if (filter.q) builder.andWhere('(event.rule_name ILIKE :q OR event.summary ILIKE :q)', { q: escapeLike(filter.q) });
    if (filter.team) builder.andWhere("event.labels ->> 'team' = :team", { team: filter.team });
    if (filter.node) builder.andWhere("event.labels ->> 'node' = :node", { node: filter.node });
    if (filter.startedFrom) builder.andWhere('event.started_at >= :startedFrom', { startedFrom: filter.startedFrom });
    if (filter.startedTo) builder.andWhere('event.started_at <= :startedTo', { startedTo: filter.startedTo });
    builder
      .orderBy(`event.${query.sortField}`, query.sortOrder)
      .addOrderBy('event.id', 'ASC')
      .skip(query.page * query.perPage)
      .take(query.perPage);
    const [rows, total] = await builder.getManyAndCount();
    return { rows, total };
  }

  findAlert(id: string): Promise<AlertEventEntity | null> {
    return isUuid(id) ? this.events.findOneBy({ id }) : Promise.resolve(null);
  }

  deliveriesOf(eventIds: string[]): Promise<AlertDeliveryEntity[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.deliveries.find({ where: { eventId: In(eventIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  // ---- deliveries

  /**
   * Takes up to `limit` due deliveries for this sender: their next attempt is pushed out by `leaseMs` in the same
   * statement (SKIP LOCKED), so another process polling at the same moment takes others, and a sender that dies
   * mid-attempt leaves them to be retried after the lease.
   */
  async claimDueDeliveries(now: Date, leaseMs: number, limit: number): Promise<AlertDeliveryEntity[]> {
    const rows = (await this.dataSource.query(
      `UPDATE alert_deliveries SET next_attempt_at = $2
       WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, new Date(now.getTime() + leaseMs), limit],
    )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
    const ids = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ id: string }>;
    if (ids.length === 0) return [];
    return this.deliveries.find({ where: { id: In(ids.map((row) => row.id)) }, order: { createdAt: 'ASC' } });
  }

  async recordDeliveryAttempt(id: string, outcome: { status: 'pending' | 'delivered' | 'failed'; attempts: number; lastError: string | null; nextAttemptAt: Date; deliveredAt: Date | null }): Promise<void> {
    await this.deliveries.update({ id }, outcome);
  }

  /** When the next pending delivery is due (null when none is pending). */
  async nextDueDelivery(): Promise<Date | null> {
    const rows = (await this.dataSource.query(`SELECT min(next_attempt_at) AS due FROM alert_deliveries WHERE status = 'pending'`)) as Array<{ due: Date | string | null }>;
    const due = rows[0]?.due;
    return due ? new Date(due) : null;
  }
}
