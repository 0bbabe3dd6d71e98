import type { PiiAction, PiiDetector } from '../pii/pii-detectors';
import type { QuotaPeriod } from '../periods/quota-period';

/** The policy document contract (issue 7 §3): JSON, YAML accepted by the CLI. Sections left out are inherited. */
export interface PolicyDocument {
  name: string;
  scope: PolicyScope;
  models?: ModelRules;
  /** Every quota of every applicable policy must have room; an absent list is an empty one. */
  quotas: PolicyQuota[];
  retention?: RetentionRules;
  pii?: PiiRules;
}

export type PolicyScope = { org: true } | { team: string } | { key: string } | { node: string };
export const SCOPE_KINDS = ['org', 'team', 'key', 'node'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface ModelRules {
  allowAll: boolean;
  allow: string[];
  deny: string[];
}

export const QUOTA_METRICS = ['requests', 'tokens', 'costUsd'] as const;
export type QuotaMetric = (typeof QUOTA_METRICS)[number];
export const QUOTA_ENFORCEMENTS = ['hard', 'soft'] as const;
export type QuotaEnforcement = (typeof QUOTA_ENFORCEMENTS)[number];

export interface PolicyQuota {
  name: string;
  metric: QuotaMetric;
  /** Exact decimal string in plain notation ("500", "0.25"); USD for costUsd, a whole count otherwise. */
  limit: string;
  period: QuotaPeriod;
  timeZone: string;
  enforcement: QuotaEnforcement;
  /** Model globs the quota counts; absent: every model. */
  models?: string[];
}

export const RETENTION_FIELDS = ['requestsDays', 'contentDays', 'scoresDays', 'gpuDays'] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];
export type RetentionRules = Partial<Record<RetentionField, number>>;

export interface PiiRules {
  detectors: Partial<Record<PiiDetector, PiiAction>>;
  keepOnPremises: boolean;
}

/** A stored version of a document: what decisions name. */
export interface VersionedPolicy {
  document: PolicyDocument;
  version: number;
}

export const DEFAULT_RETENTION_FLOOR_DAYS = 180;

export function scopeKind(scope: PolicyScope): ScopeKind {
  if ('org' in scope) return 'org';
  if ('team' in scope) return 'team';
  if ('key' in scope) return 'key';
  return 'node';
}

/** The scope's subject: the team name, key id or node name; '' for the organisation. */
export function scopeSubject(scope: PolicyScope): string {
  if ('team' in scope) return scope.team;
  if ('key' in scope) return scope.key;
  if ('node' in scope) return scope.node;
  return '';
}
