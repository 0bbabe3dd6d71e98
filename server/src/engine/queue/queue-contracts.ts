/**
 * Every background job in one place: its name and its payload. A producer and a consumer can only meet through
 * these types, and the worker refuses to start when a job has no handler.
 */
export interface JobPayloads {
  /** Re-price stored requests in a time range after the price catalog changed. */
  'pricing.recompute-costs': { from: string; to: string; requestedBy: string };
  /** Health-check every routable node (scheduled: WARDEN_NODE_HEALTH_INTERVAL_SECONDS). */
  'nodes.health-check': Record<string, never>;
  /** Build a month's chargeback report (the report's id is the job's). */
  'chargeback.report': { reportId: string; month: string; requestedBy: string };
}

export type JobName = keyof JobPayloads;

export const allJobNames: JobName[] = ['pricing.recompute-costs', 'nodes.health-check', 'chargeback.report'];

/** Which queue carries which job: one queue per concern, so a slow concern never blocks another. */
export const queueOfJob: Record<JobName, string> = {
  'pricing.recompute-costs': 'warden-pricing',
  'nodes.health-check': 'warden-nodes',
  'chargeback.report': 'warden-reports',
};

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], progress: (percent: number) => Promise<void>) => Promise<unknown>;

export type JobState = 'waiting' | 'active' | 'completed' | 'failed';

export interface JobStatus {
  id: string;
  name: JobName;
  state: JobState;
  progress: number;
  result?: unknown;
  error?: string;
}

/** The port features use; the driver (inline or BullMQ) is an engine detail chosen by REDIS_URL. */
export interface QueuePort {
  readonly driver: 'inline' | 'bullmq';
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { jobId?: string }): Promise<string>;
  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void;
  /**
   * Runs the job every `everyMilliseconds`, once across every process on the same Redis (a BullMQ job scheduler,
   * upserted: calling again only changes the interval), or on a timer in this process (inline).
   */
  schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMilliseconds: number): Promise<void>;
  status(id: string): Promise<JobStatus | null>;
  /** Throws when the queue's store (Redis) cannot be reached. */
  ping(): Promise<void>;
  startConsuming(): Promise<void>;
  close(): Promise<void>;
}
