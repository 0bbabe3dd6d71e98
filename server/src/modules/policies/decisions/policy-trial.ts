import type { PolicyDocument } from '../document';
import type { PiiActions, RedactResult } from '../pii';
import { matchesAnyModelGlob, modelAllowedBy } from '../rules';
import type { PolicyTrial } from './decision-answers';

/**
 * The console's playground: one policy document on its own (stored or a draft) tried on a model name and a text.
 * Scope and other policies play no part; `redactText` applies the detector actions (with the server's hash key).
 */
export function tryPolicyDocument(
  document: PolicyDocument,
  model: string | undefined,
  text: string | undefined,
  redactText: (text: string, actions: PiiActions) => RedactResult,
): PolicyTrial {
  const detectors = document.pii?.detectors ?? {};
  const modelAllowed = model === undefined || document.models === undefined || modelAllowedBy(document.models, model);
  const result = redactText(text ?? '', detectors);
  const protectedFound = result.findings.some((finding) => (detectors[finding.detector] ?? 'allow') !== 'allow');
  const trial: PolicyTrial = {
    modelAllowed,
    piiAction: result.action,
    text: result.text,
    findings: result.findings,
    blocked: result.blocked,
    onPremisesOnly: Boolean(document.pii?.keepOnPremises) && protectedFound,
    quotas: document.quotas.map((quota) => ({
      name: quota.name,
      metric: quota.metric,
      limit: quota.limit,
      period: quota.period,
      timeZone: quota.timeZone,
      enforcement: quota.enforcement,
      counts: model === undefined || !quota.models || matchesAnyModelGlob(model, quota.models),
    })),
  };
  if (!modelAllowed) return { ...trial, reason: 'model_not_allowed', message: `model "${model}" is not allowed by policy "${document.name}"` };
  if (result.blocked) {
    const blocked = [...new Set(result.findings.filter((finding) => detectors[finding.detector] === 'block').map((finding) => finding.detector))];
    return { ...trial, reason: 'content_policy_violation', message: `the text contains personal data (${blocked.join(', ')}) that policy "${document.name}" blocks` };
  }
  return trial;
}
