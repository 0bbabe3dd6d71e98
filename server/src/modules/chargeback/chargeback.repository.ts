import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import type { ChargebackReportData } from './chargeback-report';
import { ChargebackReportEntity } from './chargeback-report.entity';

/** The only place that reads and writes chargeback reports. */
@Injectable()
export class ChargebackRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get reports() {
    return this.dataSource.getRepository(ChargebackReportEntity);
  }

  create(id: string, month: string, requestedBy: string): Promise<ChargebackReportEntity> {
    return this.reports.save(this.reports.create({ id, month, requestedBy, completedAt: null, report: null }));
  }

  findById(id: string): Promise<ChargebackReportEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.reports.findOneBy({ id });
  }

  /** The newest first. */
  list(limit: number): Promise<ChargebackReportEntity[]> {
    return this.reports.find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async complete(id: string, report: ChargebackReportData, at: Date): Promise<void> {
    await this.reports.update({ id }, { report, completedAt: at });
  }
}
