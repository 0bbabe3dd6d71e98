import * as crypto from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { SpendDimension } from '../usage/models/spend.model';
import { AllInSpendService } from './all-in-spend.service';
import { monthBounds } from './budget-forecast';
import { buildChargebackReport, chargebackCsv, chargebackHtml, type ChargebackReportData } from './chargeback-report';
import type { ChargebackReportEntity } from './chargeback-report.entity';
import { ChargebackRepository } from './chargeback.repository';

const maxReportsListed = 100;

/** Chargeback reports: queued, built from all-in spend of the month, kept in Postgres, downloaded as CSV or HTML. */
@Injectable()
export class ChargebackReportService implements OnModuleInit {
  private readonly logger = new Logger('Chargeback');

  constructor(
    private readonly repository: ChargebackRepository,
    private readonly allIn: AllInSpendService,
    private readonly audit: AuditService,
    @Inject(QUEUE) private readonly queue: QueuePort,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler('chargeback.report', (payload, progress) => this.build(payload.reportId, payload.month, progress));
  }

  /** Records the report (and who asked, in the audit log) and queues its job; the id is the report's and the job's. */
  async request(month: string, requestedBy: string, actor: AuditActor): Promise<string> {
    monthBounds(month);
    const id = crypto.randomUUID();
    await this.repository.create(id, month, requestedBy);
    await this.audit.record({ action: 'chargeback.create', ...actor, targetType: 'chargeback_report', targetId: id, details: { month } });
    return this.queue.enqueue('chargeback.report', { reportId: id, month, requestedBy }, { jobId: id });
  }

  /** A download of a report is recorded too: who took which month's figures out. */
  async recordDownload(id: string, format: 'csv' | 'html', actor: AuditActor): Promise<void> {
    await this.audit.record({ action: 'chargeback.download', ...actor, targetType: 'chargeback_report', targetId: id, details: { format } });
  }

  /** The job: both groupings from one allocation, so on-prem lines and totals come from the very same shares. */
  async build(id: string, month: string, progress: (percent: number) => Promise<void>, now = new Date()): Promise<{ teams: number; totalCostNanoUsd: string }> {
    const range = monthBounds(month);
    await progress(5);
    const byProviderModel = await this.allIn.spendWithAllocation(range.start, range.end, [SpendDimension.TEAM, SpendDimension.PROVIDER, SpendDimension.MODEL], {}, now);
    await progress(50);
    const byNode = await this.allIn.spendWithAllocation(range.start, range.end, [SpendDimension.TEAM, SpendDimension.NODE], {}, now, byProviderModel.allocation);
    await progress(80);
    const report = buildChargebackReport(month, { from: range.start, to: range.end }, byProviderModel.rows, byNode.rows, now);
    await this.repository.complete(id, report, new Date());
    this.logger.log(`Chargeback report ${id} for ${month}: ${report.teams.length} teams`);
    return { teams: report.teams.length, totalCostNanoUsd: report.totalCostNanoUsd };
  }

  async get(id: string): Promise<ChargebackReportEntity> {
    const found = await this.repository.findById(id);
    if (!found) throw new DomainError(ErrorCode.NotFound, `No chargeback report with id ${id}`);
    return found;
  }

  list(): Promise<ChargebackReportEntity[]> {
    return this.repository.list(maxReportsListed);
  }

  async csv(id: string): Promise<{ month: string; body: string }> {
    const report = await this.completed(id);
    return { month: report.month, body: chargebackCsv(report) };
  }

  async html(id: string): Promise<{ month: string; body: string }> {
    const report = await this.completed(id);
    return { month: report.month, body: chargebackHtml(report) };
  }

  private async completed(id: string): Promise<ChargebackReportData> {
    const found = await this.get(id);
    if (!found.report) throw new DomainError(ErrorCode.Conflict, `Chargeback report ${id} is not ready yet: follow job(id: "${id}")`);
    return found.report;
  }
}
