/**
 * The demo's policies, written before its traffic as a user writes them (JSON documents through the policy service):
 * two teams whose requests name customers have that personal data masked or hashed at ingest, so the Compliance view
 * counts findings by detector and team and shows what was done.
 */
export const demoPolicies = [
  { name: 'demo-legal-review', scope: { team: 'legal-review' }, pii: { detectors: { email: 'mask', phone: 'mask' }, keepOnPremises: true } },
  { name: 'demo-support-bot', scope: { team: 'support-bot' }, pii: { detectors: { email: 'hash', phone: 'mask' } } },
] as const;
