/**
 * The demo's policies, written before its traffic as a user writes them (JSON documents through the policy service):
 * two teams whose requests name customers have that personal data masked or hashed at ingest, so the Compliance view
 * counts findings by detector and team and shows what was done.
 */
export const demoPolicies = [
  { name: 'demo-legal-review', scope: { team: 'legal-review' }, pii: { detectors: { email: 'mask', phone: 'mask' }, keepOnPremises: true } },
  { name: 'demo-support-bot', scope: { team: 'support-bot' }, pii: { detectors: { email: 'hash', phone: 'mask' } } },
] as const;

/**
 * The demo's alert rules: on the demo data the hallucination-heavy model crosses the rate and the dev node's idle GPU
 * is idle, so the Alerts page shows firing alerts once the evaluator has run (no channels: nothing is delivered).
 */
export const demoAlertRules = [
  { name: 'Hallucination rate over 15% (24 h)', kind: 'hallucination_rate', params: { windowMinutes: 1440, threshold: 0.15, minScored: 50 } },
  { name: 'GPU idle for an hour', kind: 'gpu_idle', params: { windowHours: 1, utilizationBelowPercent: 5 } },
  { name: 'GPU hot', kind: 'gpu_hot', params: { windowMinutes: 15, temperatureAboveCelsius: 85 } },
];
