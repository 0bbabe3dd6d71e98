import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { WardenConfig } from '../../../engine/config/config';
import { CONFIG, QUEUE } from '../../../engine/engine.module';
import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';
import { isUuid } from '../../../engine/postgres/uuid';
import type { QueuePort } from '../../../engine/queue/queue-contracts';
import { AuditService } from '../../audit/audit.service';
import { RetentionService } from '../../retention/retention.service';
import { mayPerform } from '../../tenancy/access-rules';
import type { Role } from '../../tenancy/roles';
import { ComplianceService, complianceScopeOf } from '../compliance.service';
import { TimeBucket } from '../models/compliance.model';
import { csvLine } from './csv';
import { ExportEntity } from './export.entity';
import { decisionColumns, ExportsRepository, requestContentColumns, requestMetadataColumns, type ExportSource, type IntervalCount } from './exports.repository';
import { renderComplianceReport } from './report-html';

export type ExportKind = 'REQUESTS' | 'DECISIONS' | 'AUDIT' | 'REPORT';

/** Rows read and written per page: what bounds an export's memory (stated in README). */
export const exportPageRows = 20_000;

export interface ExportRequest {
  kind: ExportKind;
  from: Date;
  to: Date;
  teams?: string[] | null;
  includeContent?: boolean | null;
}

export interface Requester {
  email: string;
  role: Role;
}

/** Where a page loop stands: rows written, and the percent reported. */
interface Progress {
  written: number;
  planned: number;
  report: (percent: number) => Promise<void>;
}

/**
 * Auditor exports: a queued job (inline without Redis) writes the file under DATA_DIR/exports page by page, so an
 * export larger than memory completes; the row in Postgres says where it stands. Creating and downloading one are
 * audit events.
 */
@Injectable()
export class ExportsService implements OnModuleInit {
  private readonly logger = new Logger('Exports');
  readonly directory: string;

  constructor(
    private readonly repository: ExportsRepository,
    private readonly compliance: ComplianceService,
    private readonly retention: RetentionService,
    private readonly audit: AuditService,
    @Inject(QUEUE) private readonly queue: QueuePort,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.directory = path.join(config.dataDir, 'exports');
  }

  onModuleInit(): void {
    this.queue.registerHandler('compliance.export', (payload, progress) => this.write(payload.exportId, progress));
  }

  async create(request: ExportRequest, requester: Requester): Promise<ExportEntity> {
    const scope = complianceScopeOf(request.from, request.to, request.teams);
    const includeContent = request.kind === 'REQUESTS' && (request.includeContent ?? true) && mayPerform(requester.role, 'content.read');
    const id = crypto.randomUUID();
    const extension = request.kind === 'REPORT' ? 'html' : 'csv';
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const row = await this.repository.insert(
      Object.assign(new ExportEntity(), {
        id,
        kind: request.kind,
        rangeFrom: scope.from,
        rangeTo: scope.to,
        teams: scope.teams,
        includeContent,
        requestedBy: requester.email,
        requestedRole: requester.role,
        state: 'queued',
        rows: '0',
        bytes: '0',
        fileName: `warden-${request.kind.toLowerCase()}-${day(scope.from)}-${day(scope.to)}.${extension}`,
        error: null,
        chainVerification: null,
        finishedAt: null,
      }),
    );
    await this.audit.record({
      action: 'export.create',
      actor: `user:${requester.email}`,
      actorRole: requester.role,
      targetType: 'export',
      targetId: id,
      details: { kind: request.kind, from: scope.from.toISOString(), to: scope.to.toISOString(), teams: scope.teams, includeContent },
    });
    await this.queue.enqueue('compliance.export', { exportId: id }, { jobId: id });
    return row;
  }

  find(id: string): Promise<ExportEntity | null> {
    return isUuid(id) ? this.repository.find(id) : Promise.resolve(null);
  }

  list(page: Parameters<ExportsRepository['list']>[0]): Promise<[ExportEntity[], number]> {
    return this.repository.list(page);
  }

  /** The job's percent, or what the row says once the job is gone (a restarted inline queue). */
  async progressOf(row: ExportEntity): Promise<number> {
    if (row.state === 'completed') return 100;
    const status = await this.queue.status(row.id);
    return status?.progress ?? 0;
  }

  /** The file of a completed export, for the download route; the download itself is an audit event. */
  async openDownload(id: string, requester: Requester): Promise<{ row: ExportEntity; stream: fs.ReadStream }> {
    const row = await this.find(id);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No export ${id}`);
    if (row.state !== 'completed') throw new DomainError(ErrorCode.Conflict, `Export ${id} is ${row.state}, not completed`);
    const file = this.filePath(row);
    if (!fs.existsSync(file)) throw new DomainError(ErrorCode.NotFound, `The file of export ${id} is no longer on this server`);
    await this.audit.record({ action: 'export.download', actor: `user:${requester.email}`, actorRole: requester.role, targetType: 'export', targetId: id });
    return { row, stream: fs.createReadStream(file) };
  }

  filePath(row: Pick<ExportEntity, 'id' | 'kind'>): string {
    return path.join(this.directory, `${row.id}.${row.kind === 'REPORT' ? 'html' : 'csv'}`);
  }

  /** The job: writes the file to a partial name, renamed when complete; a failure is recorded on the row. */
  async write(id: string, report: (percent: number) => Promise<void>): Promise<{ rows: number; bytes: number }> {
    const row = await this.repository.find(id);
    if (!row) throw new Error(`export ${id} not found`);
    await this.repository.update(id, { state: 'running', error: null });
    fs.mkdirSync(this.directory, { recursive: true });
    const finalPath = this.filePath(row);
    const partialPath = `${finalPath}.partial`;
    const output = fs.createWriteStream(partialPath, { mode: 0o600 });
    try {
      const writeText = async (text: string) => {
        if (!output.write(text)) await once(output, 'drain');
      };
      let rows = 0;
      let chainVerification: Record<string, unknown> | null = null;
      if (row.kind === 'REQUESTS' || row.kind === 'DECISIONS') {
        rows = await this.writeTable(row, row.kind === 'REQUESTS' ? 'requests' : 'decisions', writeText, report);
      } else if (row.kind === 'AUDIT') {
        ({ rows, chainVerification } = await this.writeAudit(row, writeText, report));
      } else {
        chainVerification = await this.writeReport(row, writeText);
        rows = 1;
      }
      output.end();
      await once(output, 'finish');
      fs.renameSync(partialPath, finalPath);
      const bytes = fs.statSync(finalPath).size;
      await this.repository.update(id, { state: 'completed', rows: String(rows), bytes: String(bytes), chainVerification, finishedAt: new Date() });
      await report(100);
      this.logger.log(`Export ${id} (${row.kind}) written: ${rows} row(s), ${bytes} bytes`);
      return { rows, bytes };
    } catch (error) {
      output.destroy();
      fs.rmSync(partialPath, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      await this.repository.update(id, { state: 'failed', error: message.slice(0, 2000), finishedAt: new Date() });
      throw error;
    }
  }

  /**
   * Requests or decisions as CSV, window by window: stretches of time holding about exportPageRows rows each
   * (counted per hour, and per minute inside a larger hour), each formatted by ClickHouse and appended to the file.
   */
  private async writeTable(row: ExportEntity, source: ExportSource, writeText: (text: string) => Promise<void>, report: (percent: number) => Promise<void>): Promise<number> {
    const columns: readonly string[] =
      source === 'requests' ? [...requestMetadataColumns, ...(row.includeContent ? requestContentColumns : [])] : decisionColumns;
    await writeText(csvLine(columns));
    const intervals: IntervalCount[] = [];
    for (const hour of await this.repository.intervalCounts(source, row.rangeFrom, row.rangeTo, row.teams, 'hour')) {
      if (hour.rows <= exportPageRows) intervals.push(hour);
      else {
        const from = new Date(Math.max(hour.start.getTime(), row.rangeFrom.getTime()));
        const to = new Date(Math.min(hour.end.getTime(), row.rangeTo.getTime()));
        intervals.push(...(await this.repository.intervalCounts(source, from, to, row.teams, 'minute')));
      }
    }
    const progress: Progress = { written: 0, planned: intervals.reduce((sum, interval) => sum + interval.rows, 0), report };
    for (const window of windowsOf(intervals, exportPageRows, row.rangeFrom, row.rangeTo)) {
      const text = await this.repository.windowCsv(source, columns, window, row.teams);
      if (text.length === 0) continue;
      await writeText(text);
      progress.written += countRecords(text);
      await this.reportProgress(row.id, progress);
    }
    return progress.written;
  }

  /** Audit entries in the range, then the chain's verification as the file's closing lines. */
  private async writeAudit(
    row: ExportEntity,
    writeText: (text: string) => Promise<void>,
    report: (percent: number) => Promise<void>,
  ): Promise<{ rows: number; chainVerification: Record<string, unknown> }> {
    const columns = ['sequence', 'id', 'at', 'action', 'actor', 'actorRole', 'targetType', 'targetId', 'team', 'before', 'after', 'details', 'prevId', 'prevHash', 'hash'] as const;
    await writeText(csvLine(columns));
    let rows = 0;
    const perPage = 1000;
    for (let page = 0; ; page += 1) {
      // In sequence order: entries appended meanwhile come after the range's, so no page shifts under the next.
      const entries = await this.audit.list({ page, perPage, sortField: 'sequence', sortOrder: 'ASC', from: row.rangeFrom, to: row.rangeTo });
      const kept = row.teams.length === 0 ? entries : entries.filter((entry) => entry.team !== null && row.teams.includes(entry.team));
      let text = '';
      for (const entry of kept) text += csvLine(columns.map((column) => (column === 'at' ? entry.at.toISOString() : entry[column])));
      await writeText(text);
      rows += kept.length;
      await report(Math.min(90, 10 + Math.round(Math.log10(page + 2) * 20)));
      if (entries.length < perPage) break;
    }
    const chain = await this.compliance.auditChain();
    const verification = { ...chain, verifiedAt: chain.verifiedAt.toISOString() };
    // The verification of the whole chain closes the file, as comment lines a reader can tell from entries.
    await writeText(
      `# chain verification: valid=${chain.valid} checkedRows=${chain.checkedRows} firstBrokenSequence=${chain.firstBrokenSequence ?? ''} ` +
        `firstBrokenId=${chain.firstBrokenId ?? ''} reason=${(chain.reason ?? '').replace(/[\r\n]/g, ' ')} verifiedAt=${verification.verifiedAt}\r\n`,
    );
    return { rows, chainVerification: verification };
  }

  private async writeReport(row: ExportEntity, writeText: (text: string) => Promise<void>): Promise<Record<string, unknown>> {
    const scope = { from: row.rangeFrom, to: row.rangeTo, teams: row.teams };
    const bucket = row.rangeTo.getTime() - row.rangeFrom.getTime() <= 2 * 86_400_000 ? TimeBucket.HOUR : TimeBucket.DAY;
    const [decisions, personalData, locality, retention, auditChain, holds, flaggedNodes] = await Promise.all([
      this.compliance.decisions(scope, bucket),
      this.compliance.personalData(scope),
      this.compliance.locality(scope),
      this.compliance.retentionStatus(row.teams),
      this.compliance.auditChain(),
      this.retention.listHolds(true),
      this.compliance.flaggedNodes(),
    ]);
    await writeText(
      renderComplianceReport({
        ...scope,
        generatedAt: new Date(),
        generatedBy: row.requestedBy,
        decisions,
        personalData,
        locality,
        retention,
        auditChain,
        flaggedNodes,
        legalHolds: holds.filter((hold) => row.teams.length === 0 || row.teams.includes(hold.team)),
      }),
    );
    return { ...auditChain, verifiedAt: auditChain.verifiedAt.toISOString() };
  }

  private async reportProgress(id: string, progress: Progress): Promise<void> {
    const percent = progress.planned === 0 ? 50 : Math.min(99, Math.floor((progress.written / progress.planned) * 100));
    await progress.report(percent);
    await this.repository.update(id, { rows: String(progress.written) });
  }
}

/**
 * [from, to) cut into consecutive windows holding about `pageRows` rows each by the counts of its intervals; together
 * they cover the whole range, so a row no interval counted is still exported. An interval larger than a page (a
 * minute holding more) is a window alone.
 */
export function windowsOf(intervals: IntervalCount[], pageRows: number, from: Date, to: Date): Array<{ from: Date; to: Date }> {
  const windows: Array<{ from: Date; to: Date }> = [];
  let windowStart = from;
  let rowsInWindow = 0;
  for (const interval of intervals) {
    if (rowsInWindow > 0 && rowsInWindow + interval.rows > pageRows && interval.start > windowStart && interval.start < to) {
      windows.push({ from: windowStart, to: interval.start });
      windowStart = interval.start;
      rowsInWindow = 0;
    }
    rowsInWindow += interval.rows;
  }
  windows.push({ from: windowStart, to });
  return windows;
}

/**
 * Records in CSV text: line ends outside quotes (a quoted field may hold line breaks; quotes inside are doubled, so
 * counting quotes tells inside from outside).
 */
export function countRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 34) quoted = !quoted;
    else if (code === 10 && !quoted) records += 1;
  }
  return records;
}
