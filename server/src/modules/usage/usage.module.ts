import { Module } from '@nestjs/common';
import { UsageRepository } from './usage.repository';
import { UsageResolver } from './usage.resolver';
import { UsageService } from './usage.service';

@Module({
  providers: [UsageRepository, UsageService, UsageResolver],
  exports: [UsageService],
})
export class UsageModule {}
