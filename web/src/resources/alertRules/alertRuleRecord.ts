// An alert rule as the GraphQL `AlertRule` type returns it, and the parameters each kind takes (the server checks
// them again and names every bad one: server/src/modules/alerts/rules/alert-kinds.ts is the reference).
export interface AlertRuleRecord {
  id: string;
  name: string;
  kind: AlertKind;
  params: Record<string, unknown>;
  team: string | null;
  node: string | null;
  enabled: boolean;
  channelIds: string[];
  lastEvaluatedAt: string | null;
  lastError: string | null;
}

export type AlertKind = 'budget_burn' | 'hallucination_rate' | 'policy_deny_spike' | 'gpu_idle' | 'gpu_hot' | 'node_down' | 'agent_silent';

export const alertKindChoices: Array<{ id: AlertKind; name: string }> = [
  { id: 'budget_burn', name: 'Budget burn (50/80/100 %, projected overrun)' },
  { id: 'hallucination_rate', name: 'Hallucination rate' },
  { id: 'policy_deny_spike', name: 'Policy deny spike' },
  { id: 'gpu_idle', name: 'GPU idle' },
  { id: 'gpu_hot', name: 'GPU hot' },
  { id: 'node_down', name: 'Node down' },
  { id: 'agent_silent', name: 'Agent silent' },
];

export interface ParamField {
  name: string;
  label: string;
  type: 'number' | 'boolean' | 'text' | 'percents';
  helperText: string;
}

export const kindParams: Record<AlertKind, ParamField[]> = {
  budget_burn: [
    { name: 'thresholds', label: 'Thresholds (% of budget)', type: 'percents', helperText: 'Comma-separated, e.g. 50, 80, 100: each fires once per period' },
    { name: 'projectedOverrun', label: 'Projected overrun', type: 'boolean', helperText: 'Also fire when the burn rate projects spend over the budget' },
    { name: 'projectionMinElapsedHours', label: 'Project after (hours)', type: 'number', helperText: 'No projection before this much of the period has passed (default 24)' },
  ],
  hallucination_rate: [
    { name: 'windowMinutes', label: 'Window (minutes)', type: 'number', helperText: '5 to 10080 (default 60)' },
    { name: 'threshold', label: 'Rate threshold (0–1)', type: 'number', helperText: 'Fires when hallucinated / scored is above it (default 0.1)' },
    { name: 'minScored', label: 'Minimum scored requests', type: 'number', helperText: 'A model with fewer verdicts is not judged (default 20)' },
    { name: 'evaluator', label: 'Evaluator', type: 'text', helperText: 'Only this evaluator, e.g. hhem-2.1 (empty: any)' },
    { name: 'model', label: 'Model', type: 'text', helperText: 'Only this model (empty: each model separately)' },
  ],
  policy_deny_spike: [
    { name: 'windowMinutes', label: 'Window (minutes)', type: 'number', helperText: '1 to 10080 (default 15)' },
    { name: 'threshold', label: 'Denials', type: 'number', helperText: 'Fires when a team has at least this many refusals in the window (default 50)' },
    { name: 'reason', label: 'Reason', type: 'text', helperText: 'Only this refusal reason, e.g. model_not_allowed (empty: any)' },
  ],
  gpu_idle: [
    { name: 'windowHours', label: 'Window (hours)', type: 'number', helperText: '1 to 2160 (default 1)' },
    { name: 'utilizationBelowPercent', label: 'Utilisation below (%)', type: 'number', helperText: 'Mean utilisation under this (default 5)' },
  ],
  gpu_hot: [
    { name: 'windowMinutes', label: 'Window (minutes)', type: 'number', helperText: '1 to 1440 (default 15)' },
    { name: 'temperatureAboveCelsius', label: 'Temperature above (°C)', type: 'number', helperText: '30 to 120 (default 85)' },
  ],
  node_down: [{ name: 'windowMinutes', label: 'Window (minutes)', type: 'number', helperText: 'No GPU sample and no request for this long (default 10)' }],
  agent_silent: [{ name: 'windowMinutes', label: 'Window (minutes)', type: 'number', helperText: 'No GPU sample for this long (default 5)' }],
};

/** Which scope a kind takes. */
export const kindScopes: Record<AlertKind, { team: boolean; node: boolean }> = {
  budget_burn: { team: true, node: false },
  hallucination_rate: { team: true, node: true },
  policy_deny_spike: { team: true, node: false },
  gpu_idle: { team: false, node: true },
  gpu_hot: { team: false, node: true },
  node_down: { team: false, node: true },
  agent_silent: { team: false, node: true },
};

/**
 * Keeps only the chosen kind's params and scope (the form keeps hidden fields' values when the kind changes) and
 * turns the thresholds text into numbers; empty inputs are left out so the server's defaults apply.
 */
export function withKindFields<Values extends Partial<AlertRuleRecord>>(values: Values): Values {
  const kind = values.kind as AlertKind | undefined;
  if (!kind || !kindParams[kind]) return values;
  const given = (values.params ?? {}) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const field of kindParams[kind]) {
    const value = given[field.name];
    if (value === undefined || value === null || value === '') continue;
    if (field.type === 'percents') {
      params[field.name] = Array.isArray(value)
        ? value
        : String(value)
            .split(',')
            .map(part => part.trim())
            .filter(part => part !== '')
            .map(Number);
    } else if (field.type === 'number') params[field.name] = typeof value === 'number' ? value : Number(value);
    else params[field.name] = value;
  }
  return {
    ...values,
    params,
    team: kindScopes[kind].team ? (values.team ?? null) : null,
    node: kindScopes[kind].node ? (values.node ?? null) : null,
  };
}
