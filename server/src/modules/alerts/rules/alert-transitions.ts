/** What one evaluation of a rule found for one set of labels: the measured value against its threshold. */
export interface Observation {
  labels: Record<string, string>;
  value: number;
  threshold: number;
  /** Whether the condition holds now. Only holding observations fire; the others are listed for clarity. */
  holds: boolean;
  summary: string;
}

/** An alert of the rule that is firing (stored). */
export interface OpenAlert {
  id: string;
  labelsKey: string;
}

export interface TransitionPlan {
  /** Conditions that hold and have no firing alert: each starts one (and one firing notification). */
  fire: Array<Observation & { labelsKey: string }>;
  /** Firing alerts whose condition still holds: updated in place, never notified again. */
  stillFiring: Array<{ alert: OpenAlert; observation: Observation }>;
  /** Firing alerts whose condition no longer holds (or is no longer seen at all): each resolved once. */
  resolve: OpenAlert[];
}

/** The canonical identity of a label set: keys sorted, so {a,b} and {b,a} are the same alert. */
export function labelsKeyOf(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((key) => [key, labels[key]]));
}

/**
 * The de-duplication state machine of one rule: per label set, `ok → firing` once when the condition starts to
 * hold, `firing → firing` silently while it holds, `firing → resolved` once when it clears. An alert whose labels
 * are not observed at all any more (a node removed, a budget period over) counts as cleared. A rule whose reading
 * failed is never planned: "could not read" must not look like "cleared".
 */
export function planTransitions(open: readonly OpenAlert[], observations: readonly Observation[]): TransitionPlan {
  const openByKey = new Map(open.map((alert) => [alert.labelsKey, alert]));
  const holding = new Map<string, Observation>();
  for (const observation of observations) {
    if (!observation.holds) continue;
    const key = labelsKeyOf(observation.labels);
    // Two readings of the same labels in one evaluation: the larger value stands.
    const earlier = holding.get(key);
    if (!earlier || observation.value > earlier.value) holding.set(key, observation);
  }
  const plan: TransitionPlan = { fire: [], stillFiring: [], resolve: [] };
  for (const [labelsKey, observation] of holding) {
    const alert = openByKey.get(labelsKey);
    if (alert) plan.stillFiring.push({ alert, observation });
    else plan.fire.push({ ...observation, labelsKey });
  }
  for (const alert of open) {
    if (!holding.has(alert.labelsKey)) plan.resolve.push(alert);
  }
  return plan;
}
