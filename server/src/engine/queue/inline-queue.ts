import type { JobHandler, JobName, JobPayloads, JobStatus, QueuePort } from './queue-contracts';
import { allJobNames } from './queue-contracts';
import * as crypto from 'node:crypto';

/** Jobs run in this process, one at a time, in the order enqueued: the embedded default, no Redis needed. */
export class InlineQueue implements QueuePort {
  readonly driver = 'inline' as const;
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly jobs = new Map<string, JobStatus>();
  private chain: Promise<void> = Promise.resolve();
  private consuming = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly onError: (message: string) => void = () => undefined) {}

  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { jobId?: string }): Promise<string> {
    const id = options?.jobId ?? crypto.randomUUID();
    const existing = this.jobs.get(id);
    if (existing && (existing.state === 'waiting' || existing.state === 'active')) return id;
    const status: JobStatus = { id, name, state: 'waiting', progress: 0 };
    this.jobs.set(id, status);
    this.chain = this.chain.then(() => this.run(status, payload));
    return id;
  }

  /** A timer in this process; a run still going when the next is due is not doubled. Runs only once consuming. */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMilliseconds: number): Promise<void> {
    let running = false;
    const timer = setInterval(() => {
      const handler = this.handlers.get(name);
      if (running || !this.consuming || !handler) return;
      running = true;
      handler(payload as JobPayloads[JobName], async () => undefined)
        .catch((error: unknown) => this.onError(`scheduled job ${name} failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          running = false;
        });
    }, everyMilliseconds);
    timer.unref();
    this.timers.push(timer);
  }

  async status(id: string): Promise<JobStatus | null> {
    return this.jobs.get(id) ?? null;
  }

  /** Nothing to reach: the queue is this process. */
  async ping(): Promise<void> {}

  async startConsuming(): Promise<void> {
    const missing = allJobNames.filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
    this.consuming = true;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.chain;
  }

  /** Resolves when every job enqueued so far has finished (tests and shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(status: JobStatus, payload: unknown): Promise<void> {
    const handler = this.handlers.get(status.name);
    if (!handler || !this.consuming) {
      status.state = 'failed';
      status.error = `no consumer for ${status.name} in this process`;
      this.onError(status.error);
      return;
    }
    status.state = 'active';
    try {
      status.result = await handler(payload as JobPayloads[JobName], async (percent) => {
        status.progress = percent;
      });
      status.state = 'completed';
      status.progress = 100;
    } catch (error) {
      status.state = 'failed';
      status.error = error instanceof Error ? error.message : String(error);
      this.onError(`job ${status.name} ${status.id} failed: ${status.error}`);
    }
  }
}
