import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { RetentionModule } from '../retention/retention.module';
import { ComplianceRepository } from './compliance.repository';
import { ComplianceResolver } from './compliance.resolver';
import { ComplianceService } from './compliance.service';
import { ExportsController } from './exports/exports.controller';
import { ExportsRepository } from './exports/exports.repository';
import { ExportsResolver } from './exports/exports.resolver';
import { ExportsService } from './exports/exports.service';

/** The compliance view (decisions, personal data, locality, retention, audit chain) and auditor exports. */
@Module({
  imports: [RetentionModule, NodesModule],
  controllers: [ExportsController],
  providers: [ComplianceRepository, ComplianceService, ComplianceResolver, ExportsRepository, ExportsService, ExportsResolver],
})
export class ComplianceModule {}
