import type { ModelRules, VersionedPolicy } from '../document/policy-document';
import { matchesAnyModelGlob } from './model-glob';
import { isNodePolicy, specificityOf } from './scope-selection';

/** `deny` wins over `allow` and `allowAll`; an empty `allow` with `allowAll: false` allows nothing. */
export function modelAllowedBy(rules: ModelRules, model: string): boolean {
  if (matchesAnyModelGlob(model, rules.deny)) return false;
  return rules.allowAll || matchesAnyModelGlob(model, rules.allow);
}

export type ModelVerdict = { allowed: true } | { allowed: false; policy: VersionedPolicy; message: string };

/**
 * The model rule of issue 7 §3: among org, team and key policies, the most specific scope that has a `models`
 * section decides (several policies at that scope must all allow); then every applicable node policy with a
 * `models` section must allow it too (a node further limits what it serves). No `models` section anywhere: allowed.
 */
export function decideModel(applicable: readonly VersionedPolicy[], model: string): ModelVerdict {
  const withModels = applicable.filter((policy) => policy.document.models !== undefined);
  const scoped = withModels.filter((policy) => !isNodePolicy(policy));
  const deciding = Math.max(-1, ...scoped.map(specificityOf));
  for (const policy of scoped.filter((candidate) => specificityOf(candidate) === deciding)) {
    if (!modelAllowedBy(policy.document.models!, model)) {
      return { allowed: false, policy, message: `model "${model}" is not allowed by policy "${policy.document.name}"` };
    }
  }
  for (const policy of withModels.filter(isNodePolicy)) {
    if (!modelAllowedBy(policy.document.models!, model)) {
      const node = 'node' in policy.document.scope ? policy.document.scope.node : '';
      return { allowed: false, policy, message: `node "${node}" may not serve model "${model}" (policy "${policy.document.name}")` };
    }
  }
  return { allowed: true };
}
