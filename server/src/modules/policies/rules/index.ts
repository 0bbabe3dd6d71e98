export * from './decision-types';
export { DEFAULT_HOLD_MS, authorize, completeDecision, decide, remainingByMetric } from './decide';
export { decideModel, modelAllowedBy, type ModelVerdict } from './combine-models';
export { combinePii, type CombinedPii } from './combine-pii';
export { effectiveGpuRetentionDays, effectiveRetention, type EffectiveRetention } from './combine-retention';
export { GlobSyntaxError, compileModelGlob, matchesAnyModelGlob, modelGlobProblem, type ModelMatcher } from './model-glob';
export { estimateFor, quotaCounterKey, quotaDemands, usageFigures } from './quota-demands';
export { SCOPE_SPECIFICITY, applicablePolicies, referenceOf, scopeApplies } from './scope-selection';
