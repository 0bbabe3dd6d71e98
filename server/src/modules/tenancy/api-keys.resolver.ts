import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from './access.decorators';
import { isUsable, ApiKeysService } from './api-keys.service';
import type { ApiKeyRecord } from './api-keys.repository';
import { ApiKeyFilter, ApiKeyModel, CreatedApiKeyModel } from './models/api-key.model';

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
  constructor(private readonly keys: ApiKeysService) {}

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
  @Mutation(() => CreatedApiKeyModel, {
    description: 'team: a team id or name (none: an organisation-level key); scopes: any of ingest, gateway, authorize, admin. The secret is answered this once.',
  })
  async createApiKey(
    @Args('name') name: string,
    @Args('scopes', { type: () => [String] }) scopes: string[],
    @Args('team', { nullable: true }) team?: string,
    @Args('expiresAt', { nullable: true }) expiresAt?: Date,
  ): Promise<CreatedApiKeyModel> {
    const { record, secret } = await this.keys.create({ name, team, scopes, expiresAt });
    const model = toModel(record);
    return { ...model, secret, key: model };
  }

  @Allow('tenancy.manage')
  @Mutation(() => ApiKeyModel, { description: 'Refused from now on (other servers: within 5 s). Revoking a revoked key changes nothing.' })
  async revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKeyModel> {
    return toModel(await this.keys.revoke(id));
  }
}
