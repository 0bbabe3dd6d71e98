import type { VersionedPolicy } from '../document/policy-document';
import { PII_DETECTORS, actionStrictness, type PiiAction, type PiiActions, type PiiDetector } from '../pii/pii-detectors';
import { isNodePolicy, specificityOf } from './scope-selection';

export interface CombinedPii {
  /** Per detector, the strictest action any applicable policy sets (block > mask > hash > allow). */
  actions: PiiActions;
  keepOnPremises: boolean;
  /** Per detector, the policy that set the winning action (the most specific one on a tie), to name in refusals. */
  sources: Partial<Record<PiiDetector, VersionedPolicy>>;
  /** A policy that asks for keepOnPremises (the most specific one). */
  keepOnPremisesSource?: VersionedPolicy;
}

/** Node policies rank below the others when naming a source: the request's own scopes speak first. */
function rank(policy: VersionedPolicy): number {
  return isNodePolicy(policy) ? -2 : specificityOf(policy);
}

export function combinePii(applicable: readonly VersionedPolicy[]): CombinedPii {
  const actions: Partial<Record<PiiDetector, PiiAction>> = {};
  const sources: Partial<Record<PiiDetector, VersionedPolicy>> = {};
  let keepOnPremisesSource: VersionedPolicy | undefined;
  for (const policy of applicable) {
    const pii = policy.document.pii;
    if (!pii) continue;
    if (pii.keepOnPremises && (!keepOnPremisesSource || rank(policy) >= rank(keepOnPremisesSource))) keepOnPremisesSource = policy;
    for (const detector of PII_DETECTORS) {
      const action = pii.detectors[detector];
      if (action === undefined) continue;
      const current = actions[detector];
      const stricter = current === undefined || actionStrictness(action) > actionStrictness(current);
      const sameButMoreSpecific = current === action && rank(policy) >= rank(sources[detector]!);
      if (stricter || sameButMoreSpecific) {
        actions[detector] = action;
        sources[detector] = policy;
      }
    }
  }
  return { actions, keepOnPremises: keepOnPremisesSource !== undefined, sources, keepOnPremisesSource };
}
