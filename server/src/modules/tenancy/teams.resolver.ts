import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from './access.decorators';
import { TeamFilter, TeamModel } from './models/team.model';
import { TeamsService, type TeamView } from './teams.service';

const sortableTeamFields = ['name', 'displayName', 'createdAt'] as const;

function toModel({ team, parentName, memberCount }: TeamView): TeamModel {
  return { id: team.id, name: team.name, displayName: team.displayName, parentId: team.parentId, parent: parentName, memberCount, createdAt: team.createdAt };
}

/** Teams, named as ra-data-graphql-simple expects. Admins only: reading the org chart is administration too. */
@Resolver(() => TeamModel)
export class TeamsResolver {
  constructor(private readonly teams: TeamsService) {}

  @Allow('tenancy.manage')
  @Query(() => [TeamModel])
  async allTeams(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: TeamFilter): Promise<TeamModel[]> {
    const paging = pagingOf(args, sortableTeamFields, { sortField: 'name', sortOrder: 'ASC' });
    return (await this.teams.list({ ...paging, ...filter })).rows.map(toModel);
  }

  @Allow('tenancy.manage')
  @Query(() => ListMetadata)
  async _allTeamsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: TeamFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableTeamFields, { sortField: 'name', sortOrder: 'ASC' });
    return { count: (await this.teams.list({ ...paging, page: 0, perPage: 1, ...filter })).total };
  }

  @Allow('tenancy.manage')
  @Query(() => TeamModel, { nullable: true })
  async Team(@Args('id', { type: () => ID }) id: string): Promise<TeamModel> {
    return toModel(await this.teams.get(id));
  }

  @Allow('tenancy.manage')
  @Mutation(() => TeamModel, { description: 'name: slug-like, fixed once created. parent: a team id or name.' })
  async createTeam(
    @Args('name') name: string,
    @Args('displayName', { nullable: true }) displayName?: string,
    @Args('parent', { nullable: true }) parent?: string,
  ): Promise<TeamModel> {
    return toModel(await this.teams.create({ name, displayName, parent }));
  }

  @Allow('tenancy.manage')
  @Mutation(() => TeamModel, { description: 'parent: a team id or name, or "" / null to make it top-level; a cycle is refused.' })
  async updateTeam(
    @Args('id', { type: () => ID }) id: string,
    @Args('displayName', { nullable: true }) displayName?: string,
    @Args('parent', { nullable: true }) parent?: string,
    @Args('parentId', { type: () => ID, nullable: true }) parentId?: string,
  ): Promise<TeamModel> {
    // react-admin's edit form sends every field back, parentId included; an explicit `parent` wins.
    const chosen = parent !== undefined ? parent : parentId;
    return toModel(await this.teams.update(id, { displayName, parent: chosen === '' ? null : chosen }));
  }

  @Allow('tenancy.manage')
  @Mutation(() => TeamModel, { description: 'Refused while the team has members, API keys or teams under it (the error says which).' })
  async deleteTeam(@Args('id', { type: () => ID }) id: string): Promise<TeamModel> {
    return toModel(await this.teams.delete(id));
  }
}
