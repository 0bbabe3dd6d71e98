import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { IngestKeyGuard } from './ingest-key.guard';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';

@Module({
  controllers: [AuthController],
  providers: [TenancyRepository, TenancyService, IngestKeyGuard],
  exports: [TenancyService, IngestKeyGuard],
})
export class TenancyModule {}
