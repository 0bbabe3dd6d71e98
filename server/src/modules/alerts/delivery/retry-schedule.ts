/** Delivery attempts per notification and the backoff between them (README "Alerts" states the defaults). */
export interface RetrySchedule {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The wait after failed attempt number `attempt` (1-based): base · 2^(attempt-1), capped. No jitter: one evaluator
 * sends, so there is no herd of senders to spread.
 */
export function retryDelayMs(schedule: RetrySchedule, attempt: number): number {
  return Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** After a failed attempt: try again at this time, or give up (null) once the attempts are spent. */
export function nextAttemptAfterFailure(schedule: RetrySchedule, attemptsMade: number, now: Date): Date | null {
  if (attemptsMade >= schedule.maxAttempts) return null;
  return new Date(now.getTime() + retryDelayMs(schedule, attemptsMade));
}
