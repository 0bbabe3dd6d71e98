import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { JobHandler, JobName, JobPayloads, JobStatus, QueuePort } from './queue-contracts';
import { allJobNames, queueOfJob } from './queue-contracts';

/** BullMQ on Redis: jobs survive restarts and workers scale out as separate processes (`npm run worker`). */
export class BullmqQueue implements QueuePort {
  readonly driver = 'bullmq' as const;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly connection: ConnectionOptions;

  constructor(redisUrl: string) {
    this.connection = { url: redisUrl, maxRetriesPerRequest: null };
  }

  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: { jobId?: string }): Promise<string> {
    const job = await this.queueFor(queueOfJob[name]).add(name, payload, {
      jobId: options?.jobId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return job.id!;
  }

  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMilliseconds: number): Promise<void> {
    await this.queueFor(queueOfJob[name]).upsertJobScheduler(name, { every: everyMilliseconds }, {
      name,
      data: payload,
      opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
  }

  async status(id: string): Promise<JobStatus | null> {
    for (const queueName of new Set(Object.values(queueOfJob))) {
      const job = await this.queueFor(queueName).getJob(id);
      if (!job) continue;
      const state = await job.getState();
      return {
        id,
        name: job.name as JobName,
        state: state === 'completed' || state === 'failed' || state === 'active' ? state : 'waiting',
        progress: typeof job.progress === 'number' ? job.progress : 0,
        result: job.returnvalue,
        error: job.failedReason,
      };
    }
    return null;
  }

  async ping(): Promise<void> {
    // Any round trip proves Redis answers; counting jobs is one and works on every BullMQ backend.
    await this.queueFor(queueOfJob['pricing.recompute-costs']).getJobCounts('waiting');
  }

  async startConsuming(): Promise<void> {
    const missing = allJobNames.filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
    for (const queueName of new Set(Object.values(queueOfJob))) {
      const worker = new Worker(
        queueName,
        async (job) => {
          const handler = this.handlers.get(job.name as JobName);
          if (!handler) throw new Error(`no handler for ${job.name}`);
          return handler(job.data as JobPayloads[JobName], (percent) => job.updateProgress(percent));
        },
        { connection: this.connection, concurrency: 1 },
      );
      this.workers.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queueFor(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection });
      this.queues.set(name, queue);
    }
    return queue;
  }
}
