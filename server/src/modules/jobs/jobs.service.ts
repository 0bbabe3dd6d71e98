import { Inject, Injectable } from '@nestjs/common';
import { QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import type { JobModel } from './models/job.model';

/** Where any background job stands, whichever module queued it. */
@Injectable()
export class JobsService {
  constructor(@Inject(QUEUE) private readonly queue: QueuePort) {}

  async job(id: string): Promise<JobModel> {
    const status = await this.queue.status(id);
    if (!status) throw new DomainError(ErrorCode.NotFound, `No job ${id}`);
    return { id: status.id, name: status.name, state: status.state, progress: status.progress, error: status.error };
  }
}
