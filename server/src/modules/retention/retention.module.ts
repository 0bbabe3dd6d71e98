import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { PoliciesModule } from '../policies/policies.module';
import { RetentionRepository } from './retention.repository';
import { RetentionResolver } from './retention.resolver';
import { RetentionService } from './retention.service';

/** Retention sweeps (scheduled, and on demand) and legal holds. Exports RetentionService for the compliance view. */
@Module({
  imports: [PoliciesModule, JobsModule],
  providers: [RetentionRepository, RetentionService, RetentionResolver],
  exports: [RetentionService],
})
export class RetentionModule {}
