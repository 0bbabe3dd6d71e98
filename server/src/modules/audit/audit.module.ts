import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { AuditRepository } from './audit.repository';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { MutationAuditInterceptor } from './mutation-audit.interceptor';

/**
 * The tamper-evident audit log. Global: every feature records its admin actions through AuditService without
 * importing this module. The interceptor records every other successful GraphQL mutation.
 */
@Global()
@Module({
  imports: [GraphqlScalarsModule],
  providers: [AuditRepository, AuditService, AuditResolver, { provide: APP_INTERCEPTOR, useClass: MutationAuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
