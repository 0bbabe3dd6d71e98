import { PII_DETECTORS, type PiiAction, type PiiDetector } from '../pii/pii-detectors';
import { RETENTION_FIELDS, type PolicyDocument, type PolicyQuota, type PolicyScope, type RetentionRules } from './policy-document';

/**
 * The document rebuilt with its keys in the contract's order (detectors in the detector list's order), whatever
 * order it arrived in, e.g. from a Postgres jsonb column, which reorders keys. Validated documents are already in
 * this form; this is for documents read back from storage.
 */
export function canonicalPolicyDocument(document: PolicyDocument): PolicyDocument {
  return {
    name: document.name,
    scope: canonicalScope(document.scope),
    ...(document.models
      ? { models: { allowAll: document.models.allowAll, allow: [...document.models.allow], deny: [...document.models.deny] } }
      : {}),
    quotas: (document.quotas ?? []).map(canonicalQuota),
    ...(document.retention ? { retention: canonicalRetention(document.retention) } : {}),
    ...(document.pii ? { pii: { detectors: canonicalDetectors(document.pii.detectors), keepOnPremises: document.pii.keepOnPremises } } : {}),
  };
}

/** One string per meaning: equal strings are equal documents ("unchanged document creates no version"). */
export function canonicalPolicyJson(document: PolicyDocument): string {
  return JSON.stringify(canonicalPolicyDocument(document));
}

export function samePolicyDocument(first: PolicyDocument, second: PolicyDocument): boolean {
  return canonicalPolicyJson(first) === canonicalPolicyJson(second);
}

function canonicalScope(scope: PolicyScope): PolicyScope {
  if ('org' in scope) return { org: true };
  if ('team' in scope) return { team: scope.team };
  if ('key' in scope) return { key: scope.key };
  return { node: scope.node };
}

function canonicalQuota(quota: PolicyQuota): PolicyQuota {
  return {
    name: quota.name,
    metric: quota.metric,
    limit: quota.limit,
    period: quota.period,
    timeZone: quota.timeZone,
    enforcement: quota.enforcement,
    ...(quota.models ? { models: [...quota.models] } : {}),
  };
}

function canonicalRetention(retention: RetentionRules): RetentionRules {
  const canonical: RetentionRules = {};
  for (const field of RETENTION_FIELDS) if (retention[field] !== undefined) canonical[field] = retention[field];
  return canonical;
}

function canonicalDetectors(detectors: Partial<Record<PiiDetector, PiiAction>>): Partial<Record<PiiDetector, PiiAction>> {
  const canonical: Partial<Record<PiiDetector, PiiAction>> = {};
  for (const detector of PII_DETECTORS) if (detectors[detector] !== undefined) canonical[detector] = detectors[detector];
  return canonical;
}
