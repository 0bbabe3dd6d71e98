import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { auditActorOf } from '../audit/audit-actor';
import { AuditedByHandler } from '../audit/audited-by-handler.decorator';
import { AuditService } from '../audit/audit.service';
import { Allow, CurrentSession } from './access.decorators';
import { isUsable, ApiKeysService } from './api-keys.service';
import type { ApiKeyRecord } from './api-keys.repository';
import { ApiKeyFilter, ApiKeyModel, CreatedApiKeyModel } from './models/api-key.model';
import type { UserSession } from './principals';

const sortableKeyFields = ['name', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'] as const;

function toModel({ key, teamName }: ApiKeyRecord, now = Date.now()): ApiKeyModel {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    team: teamName,
    teamId: key.teamId,
    scopes: [...key.scopes],
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    active: isUsable(key, now),
  };
}

/** API keys, named as ra-data-graphql-simple expects. Admins only; the secret is answered once, by createApiKey. */
@Resolver(() => ApiKeyModel)
export class ApiKeysResolver {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  /** What the audit log keeps of a key: never its secret or hash. */
  private async recordKey(action: 'apiKey.create' | 'apiKey.revoke', session: UserSession | undefined, key: ApiKeyModel): Promise<void> {
    const who = auditActorOf(session);
    const { id, name, prefix, team, scopes, expiresAt, revokedAt } = key;
    await this.audit.record({
      action,
      actor: who.actor,
      actorRole: who.actorRole,
      targetType: 'ApiKey',
      targetId: id,
      team,
      details: { name, prefix, team, scopes, expiresAt: expiresAt?.toISOString() ?? null, revokedAt: revokedAt?.toISOString() ?? null },
    });
  }

  @Allow('tenancy.manage')
  @Query(() => [ApiKeyModel])
  async allApiKeys(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: ApiKeyFilter): Promise<ApiKeyModel[]> {
    const paging = pagingOf(args, sortableKeyFields, { sortField: 'createdAt', sortOrder: 'DESC' });
    return (await this.keys.list({ ...paging, ...filter })).rows.map((record) => toModel(record));
  }

  @Allow('tenancy.manage')
  @Query(() => ListMetadata)
  async _allApiKeysMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: ApiKeyFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableKeyFields, { sortField: 'createdAt', sortOrder: 'DESC' });
    return { count: (await this.keys.list({ ...paging, page: 0, perPage: 1, ...filter })).total };
  }

  @Allow('tenancy.manage')
  @Query(() => ApiKeyModel, { nullable: true })
  async ApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKeyModel> {
    return toModel(await this.keys.get(id));
  }

  @Allow('tenancy.manage')
  @AuditedByHandler()
  @Mutation(() => CreatedApiKeyModel, {
    description: 'team: a team id or name (none: an organisation-level key); scopes: any of ingest, gateway, authorize, admin. The secret is answered this once.',
  })
  async createApiKey(
    @CurrentSession() session: UserSession | undefined,
    @Args('name') name: string,
    @Args('scopes', { type: () => [String] }) scopes: string[],
    @Args('team', { nullable: true }) team?: string,
    @Args('expiresAt', { nullable: true }) expiresAt?: Date,
  ): Promise<CreatedApiKeyModel> {
    const { record, secret } = await this.keys.create({ name, team, scopes, expiresAt });
    const model = toModel(record);
    await this.recordKey('apiKey.create', session, model);
    return { ...model, secret, key: model };
  }

  @Allow('tenancy.manage')
  @AuditedByHandler()
  @Mutation(() => ApiKeyModel, { description: 'Refused from now on (other servers: within 5 s). Revoking a revoked key changes nothing.' })
  async revokeApiKey(@CurrentSession() session: UserSession | undefined, @Args('id', { type: () => ID }) id: string): Promise<ApiKeyModel> {
    const model = toModel(await this.keys.revoke(id));
    await this.recordKey('apiKey.revoke', session, model);
    return model;
  }
}
