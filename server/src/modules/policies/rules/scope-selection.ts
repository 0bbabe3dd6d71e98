import { scopeKind, type PolicyScope, type VersionedPolicy } from '../document/policy-document';
import type { DecisionRequest, PolicyReference } from './decision-types';

/** For models, PII sources and retention: the organisation is the least specific scope, a key the most. */
export const SCOPE_SPECIFICITY = { org: 0, team: 1, key: 2 } as const;

/** Whether a policy's scope covers the request: the org always, a team / key / node when it is the request's. */
export function scopeApplies(scope: PolicyScope, request: Pick<DecisionRequest, 'team' | 'keyId' | 'node'>): boolean {
  if ('org' in scope) return true;
  if ('team' in scope) return request.team !== undefined && scope.team === request.team;
  if ('key' in scope) return request.keyId !== undefined && scope.key === request.keyId;
  return request.node !== undefined && scope.node === request.node.name;
}

/** The policies that apply to a request, least specific first (org, team, key, then node), by name within a scope. */
export function applicablePolicies(policies: readonly VersionedPolicy[], request: Pick<DecisionRequest, 'team' | 'keyId' | 'node'>): VersionedPolicy[] {
  const rank = (policy: VersionedPolicy) => {
    const kind = scopeKind(policy.document.scope);
    return kind === 'node' ? 3 : SCOPE_SPECIFICITY[kind];
  };
  return policies
    .filter((policy) => scopeApplies(policy.document.scope, request))
    .sort((first, second) => rank(first) - rank(second) || first.document.name.localeCompare(second.document.name));
}

export function referenceOf(policy: VersionedPolicy): PolicyReference {
  return { name: policy.document.name, version: policy.version };
}

export function isNodePolicy(policy: VersionedPolicy): boolean {
  return 'node' in policy.document.scope;
}

/** Specificity of a non-node policy (org 0, team 1, key 2). */
export function specificityOf(policy: VersionedPolicy): number {
  const kind = scopeKind(policy.document.scope);
  return kind === 'node' ? -1 : SCOPE_SPECIFICITY[kind];
}
