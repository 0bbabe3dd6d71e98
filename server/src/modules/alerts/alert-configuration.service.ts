import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { FieldProblem } from '../../engine/validation/field-problems';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertsRepository, type ChannelListFilter, type ListQuery, type RuleListFilter } from './alerts.repository';
import { alertChannelKinds, type AlertChannelEntity, type AlertChannelKind, type AlertRuleEntity } from './alert.entities';
import { bodyFor } from './delivery/notification-bodies';
import type { SendOutcome } from './delivery/http-sender';
import { alertKinds, alertScopes, isAlertKind, validateAlertParams } from './rules/alert-kinds';

export interface AlertRuleInput {
  name?: string;
  kind?: string;
  params?: unknown;
  team?: string | null;
  node?: string | null;
  enabled?: boolean;
  channelIds?: string[];
}

export interface AlertChannelInput {
  name?: string;
  kind?: string;
  url?: string;
  secret?: string | null;
  enabled?: boolean;
}

const maxNameLength = 200;
const maxUrlLength = 2048;
const maxChannelsPerRule = 20;

function refuse(problems: FieldProblem[]): DomainError {
  return new DomainError(ErrorCode.Validation, problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
}

function checkName(name: unknown, problems: FieldProblem[]): void {
  if (typeof name !== 'string' || name.trim() === '' || name.length > maxNameLength) problems.push({ field: 'name', message: `is required, at most ${maxNameLength} characters` });
}

/** Alert rules and channels: what admins write, checked field by field before it is stored. */
@Injectable()
export class AlertConfigurationService {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly delivery: AlertDeliveryService,
  ) {}

  // ---- rules

  listRules(query: ListQuery<AlertRuleEntity>, filter: RuleListFilter) {
    return this.repository.listRules(query, filter);
  }

  async getRule(id: string): Promise<AlertRuleEntity> {
    const rule = await this.repository.findRule(id);
    if (!rule) throw new DomainError(ErrorCode.NotFound, `No alert rule with id ${id}`);
    return rule;
  }

  async createRule(input: AlertRuleInput): Promise<AlertRuleEntity> {
    const rule = await this.checkedRule({ enabled: true, channelIds: [], team: null, node: null, ...withoutUndefined(input) });
    if (await this.repository.findRuleByName(rule.name)) throw new DomainError(ErrorCode.Conflict, `An alert rule named "${rule.name}" already exists`, [{ field: 'name', message: 'is taken' }]);
    return this.repository.saveRule(rule);
  }

  async updateRule(id: string, changes: AlertRuleInput): Promise<AlertRuleEntity> {
    const existing = await this.getRule(id);
    const kindChanged = changes.kind !== undefined && changes.kind !== existing.kind;
    // Params belong to a kind: a new kind without new params starts from the new kind's defaults.
    const merged = { ...existing, ...withoutUndefined(changes), ...(kindChanged && changes.params === undefined ? { params: {} } : {}) };
    const rule = await this.checkedRule(merged);
    if (rule.name !== existing.name) {
      const other = await this.repository.findRuleByName(rule.name);
      if (other && other.id !== id) throw new DomainError(ErrorCode.Conflict, `An alert rule named "${rule.name}" already exists`, [{ field: 'name', message: 'is taken' }]);
    }
    return this.repository.saveRule({ ...existing, ...rule, id });
  }

  async deleteRule(id: string): Promise<AlertRuleEntity> {
    const rule = await this.getRule(id);
    await this.repository.deleteRule(id);
    return rule;
  }

  private async checkedRule(input: AlertRuleInput): Promise<Pick<AlertRuleEntity, 'name' | 'kind' | 'params' | 'team' | 'node' | 'enabled' | 'channelIds'>> {
    const problems: FieldProblem[] = [];
    checkName(input.name, problems);
    if (!isAlertKind(input.kind)) {
      problems.push({ field: 'kind', message: `must be one of: ${alertKinds.join(', ')}` });
      throw refuse(problems);
    }
    const kind = input.kind;
    const params = validateAlertParams(kind, input.params);
    if ('problems' in params) problems.push(...params.problems);
    const team = blankToNull(input.team);
    const node = blankToNull(input.node);
    if (team !== null && (!alertScopes[kind].team || team.length > 200)) problems.push({ field: 'team', message: alertScopes[kind].team ? 'at most 200 characters' : `a ${kind} rule is not scoped by team` });
    if (node !== null && (!alertScopes[kind].node || node.length > 200)) problems.push({ field: 'node', message: alertScopes[kind].node ? 'at most 200 characters' : `a ${kind} rule is not scoped by node` });
    if (typeof input.enabled !== 'boolean') problems.push({ field: 'enabled', message: 'must be true or false' });
    const channelIds = [...new Set(input.channelIds ?? [])];
    if (channelIds.length > maxChannelsPerRule) problems.push({ field: 'channelIds', message: `at most ${maxChannelsPerRule} channels` });
    else {
      const found = new Set((await this.repository.findChannels(channelIds)).map((channel) => channel.id));
      const missing = channelIds.filter((id) => !found.has(id));
      if (missing.length > 0) problems.push({ field: 'channelIds', message: `no channel with id ${missing.slice(0, 5).join(', ')}` });
    }
    if (problems.length > 0 || 'problems' in params) throw refuse(problems);
    return { name: (input.name as string).trim(), kind, params: params.params, team, node, enabled: input.enabled as boolean, channelIds };
  }

  // ---- channels

  listChannels(query: ListQuery<AlertChannelEntity>, filter: ChannelListFilter) {
    return this.repository.listChannels(query, filter);
  }

  async getChannel(id: string): Promise<AlertChannelEntity> {
    const channel = await this.repository.findChannel(id);
    if (!channel) throw new DomainError(ErrorCode.NotFound, `No alert channel with id ${id}`);
    return channel;
  }

  async createChannel(input: AlertChannelInput): Promise<AlertChannelEntity> {
    const channel = checkedChannel({ enabled: true, secret: null, ...withoutUndefined(input) });
    if (await this.repository.findChannelByName(channel.name)) throw new DomainError(ErrorCode.Conflict, `An alert channel named "${channel.name}" already exists`, [{ field: 'name', message: 'is taken' }]);
    return this.repository.saveChannel(channel);
  }

  async updateChannel(id: string, changes: AlertChannelInput): Promise<AlertChannelEntity> {
    const existing = await this.getChannel(id);
    const channel = checkedChannel({ ...existing, ...withoutUndefined(changes) });
    if (channel.name !== existing.name) {
      const other = await this.repository.findChannelByName(channel.name);
      if (other && other.id !== id) throw new DomainError(ErrorCode.Conflict, `An alert channel named "${channel.name}" already exists`, [{ field: 'name', message: 'is taken' }]);
    }
    return this.repository.saveChannel({ ...existing, ...channel, id });
  }

  async deleteChannel(id: string): Promise<AlertChannelEntity> {
    const channel = await this.getChannel(id);
    await this.repository.deleteChannel(id);
    return channel;
  }

  /** Sends the channel one test message now and says how it went (nothing is recorded or retried). */
  async testChannel(id: string): Promise<SendOutcome> {
    const channel = await this.getChannel(id);
    const now = new Date();
    const body = bodyFor(channel.kind, {
      alertId: 'test',
      rule: { id: 'test', name: `Test of channel ${channel.name}`, kind: 'test' },
      state: 'test',
      value: 0,
      threshold: 0,
      summary: 'A test message from Warden: this channel receives alert notifications.',
      startedAt: now,
      resolvedAt: null,
      labels: { channel: channel.name },
    });
    return this.delivery.sendOnce(channel, body);
  }
}

function checkedChannel(input: AlertChannelInput): Pick<AlertChannelEntity, 'name' | 'kind' | 'url' | 'secret' | 'enabled'> {
  const problems: FieldProblem[] = [];
  checkName(input.name, problems);
  if (!(alertChannelKinds as readonly string[]).includes(input.kind ?? '')) problems.push({ field: 'kind', message: `must be one of: ${alertChannelKinds.join(', ')}` });
  const urlProblem = checkUrl(input.url);
  if (urlProblem) problems.push({ field: 'url', message: urlProblem });
  const secret = blankToNull(input.secret);
  if (secret !== null && (secret.length < 16 || secret.length > 256)) problems.push({ field: 'secret', message: 'must be 16 to 256 characters' });
  if (secret !== null && input.kind === 'slack') problems.push({ field: 'secret', message: 'Slack webhooks are not signed; leave it empty' });
  if (typeof input.enabled !== 'boolean') problems.push({ field: 'enabled', message: 'must be true or false' });
  if (problems.length > 0) throw refuse(problems);
  return { name: (input.name as string).trim(), kind: input.kind as AlertChannelKind, url: (input.url as string).trim(), secret, enabled: input.enabled as boolean };
}

function checkUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.trim() === '') return 'is required';
  if (url.length > maxUrlLength) return `at most ${maxUrlLength} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an absolute http:// or https:// URL';
  return null;
}

/** What the console may show of a URL: scheme and host; the path of a Slack URL is its credential. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '…';
  }
}

function blankToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
