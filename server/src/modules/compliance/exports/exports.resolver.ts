import { Args, ID, Mutation, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../../engine/graphql/list-arguments';
import { AuditedByHandler } from '../../audit/audited-by-handler.decorator';
import { Allow, CurrentSession } from '../../tenancy/access.decorators';
import type { UserSession } from '../../tenancy/principals';
import { ExportModel } from '../models/compliance.model';
import type { ExportEntity } from './export.entity';
import { ExportsService } from './exports.service';

export enum ExportKind {
  REQUESTS = 'REQUESTS',
  DECISIONS = 'DECISIONS',
  AUDIT = 'AUDIT',
  REPORT = 'REPORT',
}
registerEnumType(ExportKind, { name: 'ExportKind' });

const sortableExportFields = ['createdAt', 'kind', 'state'] as const;

/** Auditor exports, named as ra-data-graphql-simple expects (allExports, Export); compliance and admin only. */
@Resolver(() => ExportModel)
export class ExportsResolver {
  constructor(private readonly exports: ExportsService) {}

  @Allow('exports.write')
  @AuditedByHandler()
  @Mutation(() => ExportModel, {
    description: 'Write an export of [from, to) for the teams named (none: all) in the background; job(id) follows it. Content only for roles that may read it.',
  })
  async createExport(
    @Args('kind', { type: () => ExportKind }) kind: ExportKind,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('teams', { type: () => [String], nullable: true }) teams: string[] | undefined,
    @Args('includeContent', { type: () => Boolean, nullable: true, description: 'REQUESTS: prompts and completions too (default true where the role may read them).' })
    includeContent: boolean | undefined,
    @CurrentSession() session: UserSession,
  ): Promise<ExportModel> {
    const row = await this.exports.create({ kind, from, to, teams, includeContent }, { email: session.email, role: session.role });
    return this.toModel(row);
  }

  @Allow('exports.read')
  @Query(() => [ExportModel])
  async allExports(@Args() args: ListArguments): Promise<ExportModel[]> {
    const [rows] = await this.exports.list(pagingOf(args, sortableExportFields, { sortField: 'createdAt', sortOrder: 'DESC' }));
    return Promise.all(rows.map((row) => this.toModel(row)));
  }

  @Allow('exports.read')
  @Query(() => ListMetadata)
  async _allExportsMeta(@Args() args: ListArguments): Promise<ListMetadata> {
    const [, count] = await this.exports.list(pagingOf({ ...args, page: 0, perPage: 1 }, sortableExportFields, { sortField: 'createdAt', sortOrder: 'DESC' }));
    return { count };
  }

  @Allow('exports.read')
  @Query(() => ExportModel, { nullable: true })
  async Export(@Args('id', { type: () => ID }) id: string): Promise<ExportModel | null> {
    const row = await this.exports.find(id);
    return row ? this.toModel(row) : null;
  }

  private async toModel(row: ExportEntity): Promise<ExportModel> {
    const chain = row.chainVerification as (Omit<ExportModel['chainVerification'] & object, 'verifiedAt'> & { verifiedAt: string }) | null;
    return {
      id: row.id,
      kind: row.kind,
      from: row.rangeFrom,
      to: row.rangeTo,
      teams: row.teams,
      includeContent: row.includeContent,
      requestedBy: row.requestedBy,
      state: row.state,
      progress: await this.exports.progressOf(row),
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      fileName: row.fileName,
      error: row.error,
      chainVerification: chain ? { ...chain, verifiedAt: new Date(chain.verifiedAt) } : null,
      downloadUrl: row.state === 'completed' ? `/api/v1/exports/${row.id}/download` : null,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
    };
  }
}
