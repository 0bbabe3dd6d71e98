import { RETENTION_FIELDS, type RetentionField, type VersionedPolicy } from '../document/policy-document';
import { isNodePolicy, specificityOf } from './scope-selection';

export type EffectiveRetention = Partial<Record<RetentionField, number>>;

/**
 * Retention for a team's (or key's) data: each field from the most specific scope that sets it (org < team < key),
 * `requestsDays` never under the floor (a floor raised after a policy was written still holds), and content never
 * kept longer than its request row. GPU samples belong to nodes, not teams: `gpuDays` comes from the node's policy,
 * else the organisation's (see `effectiveGpuRetentionDays`). A field no policy sets is absent: the caller's default applies (WARDEN_RETENTION_DAYS, itself
 * never under the floor).
 */
export function effectiveRetention(applicable: readonly VersionedPolicy[], floorDays: number): EffectiveRetention {
  const retention: EffectiveRetention = {};
  const ordered = applicable.filter((policy) => !isNodePolicy(policy)).sort((first, second) => specificityOf(first) - specificityOf(second));
  for (const policy of ordered) {
    for (const field of RETENTION_FIELDS) {
      const days = policy.document.retention?.[field];
      if (days !== undefined && field !== 'gpuDays') retention[field] = days;
    }
  }
  if (retention.requestsDays !== undefined) retention.requestsDays = Math.max(retention.requestsDays, floorDays);
  if (retention.contentDays !== undefined && retention.requestsDays !== undefined) {
    retention.contentDays = Math.min(retention.contentDays, retention.requestsDays);
  }
  return retention;
}

/** A node's GPU-sample retention: its own policy's `gpuDays`, else the organisation's; undefined if neither sets it. */
export function effectiveGpuRetentionDays(applicable: readonly VersionedPolicy[]): number | undefined {
  const fromNode = applicable.find((policy) => isNodePolicy(policy) && policy.document.retention?.gpuDays !== undefined);
  const fromOrg = applicable.find((policy) => 'org' in policy.document.scope && policy.document.retention?.gpuDays !== undefined);
  return (fromNode ?? fromOrg)?.document.retention?.gpuDays;
}
