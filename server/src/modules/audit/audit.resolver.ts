import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { isUuid } from '../../engine/postgres/uuid';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { auditActorOf } from './audit-actor';
import { sortableAuditFields, type AuditListQuery } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditChainVerificationModel, AuditEntryFilter, AuditEntryModel } from './models/audit-entry.model';

const MAX_FILTER_TEXT = 512;

function listQuery(args: ListArguments, filter: AuditEntryFilter | undefined): AuditListQuery {
  const paging = pagingOf(args, sortableAuditFields, { sortField: 'sequence', sortOrder: 'DESC' });
  const text = (value: string | undefined | null) => (value ? value.slice(0, MAX_FILTER_TEXT) : undefined);
  return {
    ...paging,
    ids: filter?.ids?.filter(isUuid),
    action: text(filter?.action),
    actor: text(filter?.actor),
    team: text(filter?.team),
    targetType: text(filter?.targetType),
    from: filter?.from ?? undefined,
    to: filter?.to ?? undefined,
    q: text(filter?.q),
  };
}

/** The audit log as a read-only react-admin resource, and chain verification. Admin and compliance only. */
@Resolver(() => AuditEntryModel)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Allow('audit.read')
  @Query(() => [AuditEntryModel])
  allAuditEntries(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AuditEntryFilter): Promise<AuditEntryModel[]> {
    return this.audit.list(listQuery(args, filter));
  }

  @Allow('audit.read')
  @Query(() => ListMetadata)
  async _allAuditEntriesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AuditEntryFilter): Promise<ListMetadata> {
    return { count: await this.audit.count(listQuery(args, filter)) };
  }

  @Allow('audit.read')
  @Query(() => AuditEntryModel, { nullable: true })
  AuditEntry(@Args('id', { type: () => ID }) id: string): Promise<AuditEntryModel | null> {
    return isUuid(id) ? this.audit.find(id) : Promise.resolve(null);
  }

  @Allow('audit.read')
  @Query(() => AuditChainVerificationModel, {
    description: 'Walks the whole chain, recomputing every hash, and names the first broken row. The check is itself recorded (audit.verify).',
  })
  verifyAuditChain(@CurrentSession() session: UserSession): Promise<AuditChainVerificationModel> {
    return this.audit.verifyAndRecord(auditActorOf(session));
  }
}
