import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AlertKind } from './rules/alert-kinds';

export const alertChannelKinds = ['webhook', 'slack'] as const;
export type AlertChannelKind = (typeof alertChannelKinds)[number];

/** Where notifications go. The URL (a Slack URL is itself a credential) and the signing secret never leave the server. */
@Entity({ name: 'alert_channels' })
export class AlertChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  kind: AlertChannelKind;

  @Column({ type: 'text' })
  url: string;

  /** Webhook only: when set, each body is signed (`x-warden-signature: sha256=<HMAC>`). */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A condition to watch: its kind, the kind's parameters (checked per kind), an optional team or node scope. */
@Entity({ name: 'alert_rules' })
export class AlertRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  kind: AlertKind;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  team: string | null;

  @Column({ type: 'text', nullable: true })
  node: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'channel_ids', type: 'jsonb', default: () => "'[]'" })
  channelIds: string[];

  /** When the evaluator last looked at this rule, and what went wrong then (null when it worked). */
  @Column({ name: 'last_evaluated_at', type: 'timestamptz', nullable: true })
  lastEvaluatedAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export type AlertState = 'firing' | 'resolved';

/**
 * One alert: a rule's condition holding for one set of labels, from when it started to when it cleared. At most one
 * firing row per rule and labels (the partial unique index), so two evaluators racing cannot fire twice. The rule's
 * name and kind are copied: history outlives a deleted rule.
 */
@Entity({ name: 'alert_events' })
@Index('IDX_alert_events_one_firing', ['ruleId', 'labelsKey'], { unique: true, where: `"state" = 'firing'` })
@Index('IDX_alert_events_started_at', ['startedAt'])
export class AlertEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId: string;

  @Column({ name: 'rule_name', type: 'text' })
  ruleName: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels: Record<string, string>;

  /** The labels as one canonical string (sorted keys): the identity of the alert within its rule. */
  @Column({ name: 'labels_key', type: 'text' })
  labelsKey: string;

  @Column({ type: 'text' })
  state: AlertState;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'double precision' })
  threshold: number;

  @Column({ type: 'text', default: '' })
  summary: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'last_evaluated_at', type: 'timestamptz' })
  lastEvaluatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One notification of one transition (firing or resolved) to one channel. Recorded before it is sent, so a restart
 * continues what was pending; unique per event, channel and transition, so a transition is notified once.
 */
@Entity({ name: 'alert_deliveries' })
@Index('IDX_alert_deliveries_once', ['eventId', 'channelId', 'transition'], { unique: true })
@Index('IDX_alert_deliveries_due', ['status', 'nextAttemptAt'])
export class AlertDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId: string;

  @Column({ type: 'text' })
  transition: AlertState;

  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** The body as sent, fixed at the transition: a retry sends the same bytes the first attempt did. */
  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
