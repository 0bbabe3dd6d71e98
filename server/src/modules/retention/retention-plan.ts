/** The data classes the retention sweep keeps per policy, each swept and receipted on its own. */
export const RETENTION_DATA_CLASSES = ['content', 'requests', 'scores', 'gpu'] as const;
export type RetentionDataClass = (typeof RETENTION_DATA_CLASSES)[number];

/**
 * What a held team's rows are stamped with: far enough that no TTL removes them while the hold lasts, near enough
 * that `timestamp + days` stays inside ClickHouse's DateTime range (up to 2106) for any row stored today.
 */
export const HOLD_RETENTION_DAYS = 18_250;

/** A team's retention as its policies give it (each field from the most specific scope; absent: not set). */
export interface PolicyRetention {
  requestsDays?: number;
  contentDays?: number;
  scoresDays?: number;
}

export interface ClassPlan {
  /** Rows (or content) older than this many days are removed; null: nothing is removed (held, or no rule). */
  deleteAfterDays: number | null;
  /** The per-row retention column is stamped with this, so the table's TTL follows the current policy. */
  stampDays: number;
}

export interface TeamPlan {
  held: boolean;
  requests: ClassPlan;
  content: ClassPlan;
  scores: ClassPlan;
}

/**
 * Per class, what the sweep applies to one team's stored rows. Whole rows: the policy's days, never under the floor
 * (`requestsDays`) and the server's default where the policy says nothing. Content: the policy's `contentDays`,
 * never longer than the row; 0 stamped means "as long as the row". A legal hold removes nothing and stamps rows so
 * that no TTL expires them; releasing it lets the next sweep apply the policy again.
 */
export function planTeamRetention(policy: PolicyRetention, options: { held: boolean; floorDays: number; defaultDays: number }): TeamPlan {
  const requestsDays = Math.max(policy.requestsDays ?? options.defaultDays, options.floorDays);
  const contentDays = policy.contentDays === undefined ? null : Math.min(policy.contentDays, requestsDays);
  const scoresDays = policy.scoresDays ?? options.defaultDays;
  if (options.held) {
    const held: ClassPlan = { deleteAfterDays: null, stampDays: HOLD_RETENTION_DAYS };
    return { held: true, requests: held, scores: held, content: { deleteAfterDays: null, stampDays: 0 } };
  }
  return {
    held: false,
    requests: { deleteAfterDays: requestsDays, stampDays: requestsDays },
    content: { deleteAfterDays: contentDays, stampDays: contentDays ?? 0 },
    scores: { deleteAfterDays: scoresDays, stampDays: scoresDays },
  };
}

/** The instant before which rows `days` old are removed, at `now`. */
export function cutoffOf(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
