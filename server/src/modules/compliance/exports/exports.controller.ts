import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { Allow, CurrentSession } from '../../tenancy/access.decorators';
import type { UserSession } from '../../tenancy/principals';
import { ExportsService } from './exports.service';

/** The file of a completed export, for a signed-in compliance officer or admin (the session's bearer token or cookie). */
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Allow('exports.read')
  @Get(':id/download')
  async download(@Param('id') id: string, @CurrentSession() session: UserSession): Promise<StreamableFile> {
    const { row, stream } = await this.exports.openDownload(id, { email: session.email, role: session.role });
    return new StreamableFile(stream, {
      type: row.kind === 'REPORT' ? 'text/html; charset=utf-8' : 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${row.fileName}"`,
      length: Number(row.bytes),
    });
  }
}
