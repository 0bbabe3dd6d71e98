import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { userActor } from '../audit/audit-actor';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { ChargebackReportService } from './chargeback-report.service';

const filePattern = /^([0-9a-fA-F-]{36})\.(csv|html)$/;

/** Report downloads for a signed-in finance or admin user (the console links to them). */
@Controller('api/v1/reports/chargeback')
export class ChargebackController {
  constructor(private readonly reports: ChargebackReportService) {}

  @Allow('chargebackReports.read')
  @Get(':file')
  async download(@Param('file') file: string, @Res({ passthrough: true }) response: Response, @CurrentSession() session?: UserSession): Promise<string> {
    const match = filePattern.exec(file);
    if (!match) {
      throw new DomainError(ErrorCode.NotFound, 'A chargeback report is {id}.csv or {id}.html', { problems: [{ field: 'id', message: 'must be a report id with .csv or .html' }] });
    }
    const [, id, format] = match;
    const { month, body } = format === 'csv' ? await this.reports.csv(id) : await this.reports.html(id);
    await this.reports.recordDownload(id, format as 'csv' | 'html', userActor(session?.email ?? 'unknown', session?.role ?? null));
    response.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'text/html; charset=utf-8');
    response.setHeader('Content-Disposition', `${format === 'csv' ? 'attachment' : 'inline'}; filename="chargeback-${month}.${format}"`);
    response.setHeader('Cache-Control', 'no-store');
    return body;
  }
}
