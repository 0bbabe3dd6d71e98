import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuditedByHandler } from '../audit/audited-by-handler.decorator';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { AlertConfigurationService, maskedUrl } from './alert-configuration.service';
import type { AlertChannelEntity } from './alert.entities';
import { AlertChannelFilter, AlertChannelModel, AlertChannelTestModel } from './models/alert.models';

const sortableFields = ['id', 'name', 'kind', 'enabled', 'createdAt', 'updatedAt'] as const;
const defaultSort = { sortField: 'name', sortOrder: 'ASC' } as const;

/** The only way a channel leaves the server: URL masked, secret reduced to whether there is one. */
function toModel(channel: AlertChannelEntity): AlertChannelModel {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    urlPreview: maskedUrl(channel.url),
    hasSecret: Boolean(channel.secret),
    enabled: channel.enabled,
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}

/** Notification channels: admins only (a channel's URL is a credential to post into someone's chat). */
@Resolver(() => AlertChannelModel)
export class AlertChannelsResolver {
  constructor(
    private readonly configuration: AlertConfigurationService,
    private readonly audit: AuditService,
  ) {}

  /** Channel writes record the channel as shown (host only): the generic entry would keep a Slack URL, a credential. */
  private async recordWrite(action: string, channel: AlertChannelModel, session: UserSession | undefined): Promise<AlertChannelModel> {
    await this.audit.record({ action, ...auditActorOf(session), targetType: 'AlertChannel', targetId: channel.id, after: channel });
    return channel;
  }

  @Allow('alertChannels.manage')
  @Query(() => [AlertChannelModel])
  async allAlertChannels(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertChannelFilter): Promise<AlertChannelModel[]> {
    const { rows } = await this.configuration.listChannels(pagingOf(args, sortableFields, defaultSort), filter ?? {});
    return rows.map(toModel);
  }

  @Allow('alertChannels.manage')
  @Query(() => ListMetadata)
  async _allAlertChannelsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertChannelFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableFields, defaultSort);
    const { total } = await this.configuration.listChannels({ ...paging, page: 0, perPage: 1 }, filter ?? {});
    return { count: total };
  }

  @Allow('alertChannels.manage')
  @Query(() => AlertChannelModel, { nullable: true })
  async AlertChannel(@Args('id', { type: () => ID }) id: string): Promise<AlertChannelModel> {
    return toModel(await this.configuration.getChannel(id));
  }

  @Allow('alertChannels.manage')
  @AuditedByHandler()
  @Mutation(() => AlertChannelModel)
  async createAlertChannel(
    @CurrentSession() session: UserSession | undefined,
    @Args('name') name: string,
    @Args('kind') kind: string,
    @Args('url') url: string,
    @Args('secret', { type: () => String, nullable: true }) secret?: string | null,
    @Args('enabled', { nullable: true }) enabled?: boolean,
  ): Promise<AlertChannelModel> {
    return this.recordWrite('alerts.channel.create', toModel(await this.configuration.createChannel({ name, kind, url, secret, enabled: enabled ?? undefined })), session);
  }

  @Allow('alertChannels.manage')
  @AuditedByHandler()
  @Mutation(() => AlertChannelModel, { description: 'Absent or empty url and secret keep the stored ones (the console sends write-only fields back empty).' })
  async updateAlertChannel(
    @CurrentSession() session: UserSession | undefined,
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('url', { type: () => String, nullable: true }) url?: string | null,
    @Args('secret', { type: () => String, nullable: true }) secret?: string | null,
    @Args('enabled', { nullable: true }) enabled?: boolean,
  ): Promise<AlertChannelModel> {
    const channel = toModel(
      await this.configuration.updateChannel(id, {
        name: name ?? undefined,
        kind: kind ?? undefined,
        // The console sends write-only fields back empty: empty or absent means "keep what is stored".
        url: url ? url : undefined,
        secret: secret === undefined || secret === null ? undefined : secret,
        enabled: enabled ?? undefined,
      }),
    );
    return this.recordWrite('alerts.channel.update', channel, session);
  }

  @Allow('alertChannels.manage')
  @Mutation(() => AlertChannelModel)
  async deleteAlertChannel(@Args('id', { type: () => ID }) id: string): Promise<AlertChannelModel> {
    return toModel(await this.configuration.deleteChannel(id));
  }

  @Allow('alertChannels.manage')
  @Mutation(() => AlertChannelTestModel, { description: 'Sends the channel one test message now (no retries, nothing recorded).' })
  testAlertChannel(@Args('id', { type: () => ID }) id: string): Promise<AlertChannelTestModel> {
    return this.configuration.testChannel(id);
  }
}
