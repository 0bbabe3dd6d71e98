import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow, CurrentSession } from './access.decorators';
import { UserFilter, UserModel } from './models/user.model';
import type { UserSession } from './principals';
import { UsersService, type UserView } from './users.service';

const sortableUserFields = ['email', 'name', 'role', 'createdAt'] as const;

function toModel({ user, teamIds, teamNames }: UserView): UserModel {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teams: teamNames,
    teamIds,
    active: user.deactivatedAt === null,
    deactivatedAt: user.deactivatedAt,
    createdAt: user.createdAt,
  };
}

function actorOf(session: UserSession | undefined) {
  return session ? { userId: session.userId, sessionId: session.sessionId } : undefined;
}

/** Console users, named as ra-data-graphql-simple expects. Admins only. */
@Resolver(() => UserModel)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Allow('tenancy.manage')
  @Query(() => [UserModel])
  async allUsers(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: UserFilter): Promise<UserModel[]> {
    const paging = pagingOf(args, sortableUserFields, { sortField: 'email', sortOrder: 'ASC' });
    return (await this.users.list({ ...paging, ...filter })).rows.map(toModel);
  }

  @Allow('tenancy.manage')
  @Query(() => ListMetadata)
  async _allUsersMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: UserFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableUserFields, { sortField: 'email', sortOrder: 'ASC' });
    return { count: (await this.users.list({ ...paging, page: 0, perPage: 1, ...filter })).total };
  }

  @Allow('tenancy.manage')
  @Query(() => UserModel, { nullable: true })
  async User(@Args('id', { type: () => ID }) id: string): Promise<UserModel> {
    return toModel(await this.users.get(id));
  }

  @Allow('tenancy.manage')
  @Mutation(() => UserModel, { description: 'role: admin, compliance, finance, sre or viewer; teams: ids or names; password: 8+ characters.' })
  async createUser(
    @Args('email') email: string,
    @Args('name') name: string,
    @Args('role') role: string,
    @Args('password') password: string,
    @Args('teams', { type: () => [String], nullable: true }) teams?: string[],
  ): Promise<UserModel> {
    return toModel(await this.users.create({ email, name, role, password, teams: teams ?? [] }));
  }

  @Allow('tenancy.manage')
  @Mutation(() => UserModel, { description: 'Changes what is given; teams replace the current ones; a new password ends the user\'s other sessions.' })
  async updateUser(
    @CurrentSession() session: UserSession | undefined,
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('role', { nullable: true }) role?: string,
    @Args('teams', { type: () => [String], nullable: true }) teams?: string[],
    @Args('teamIds', { type: () => [ID], nullable: true }) teamIds?: string[],
    @Args('password', { nullable: true }) password?: string,
  ): Promise<UserModel> {
    // react-admin's edit form sends teamIds back; an explicit `teams` wins. An empty password means "unchanged".
    return toModel(await this.users.update(id, { name, role, teams: teams ?? teamIds, password: password || undefined }, actorOf(session)));
  }

  @Allow('tenancy.manage')
  @Mutation(() => UserModel, { description: 'The user cannot sign in any more, and every session of theirs is refused from this instant.' })
  async deactivateUser(@CurrentSession() session: UserSession | undefined, @Args('id', { type: () => ID }) id: string): Promise<UserModel> {
    return toModel(await this.users.deactivate(id, actorOf(session)));
  }
}
