import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../engine/auth/passwords';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { isUuid } from '../../engine/postgres/uuid';
import type { Role } from './roles';
import { TeamsService } from './teams.service';
import { TenancyRepository, type UserListQuery, type UserWithTeams } from './tenancy.repository';
import { checkEmail, checkPassword, checkRole, checkText, Problems, tenancyLimits } from './tenancy-validation';

export interface UserView extends UserWithTeams {
  teamNames: string[];
}

export interface UserInput {
  email: string;
  name: string;
  role: string;
  teams: readonly string[];
  password: string;
}

/** Who acts: an admin may not lock themselves out (deactivate themselves or drop their own admin role). */
export interface UserActor {
  userId: string;
  sessionId?: string;
}

/** Console users: one role each, team memberships, deactivation that ends their sessions at once. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: TenancyRepository,
    private readonly teams: TeamsService,
  ) {}

  async list(query: Omit<UserListQuery, 'teamId'> & { team?: string }): Promise<{ rows: UserView[]; total: number }> {
    const { team, ...rest } = query;
    const teamId = team === undefined ? undefined : isUuid(team) ? team : ((await this.teams.resolve(team, 'team').catch(() => null))?.id ?? '');
    const { rows, total } = await this.repository.listUsers({ ...rest, teamId });
    return { rows: await this.views(rows), total };
  }

  async get(id: string): Promise<UserView> {
    const user = await this.repository.findUserById(id);
    if (!user) throw new DomainError(ErrorCode.NotFound, `No user with id ${id}`);
    const teamIds = (await this.repository.teamIdsOf([user.id])).get(user.id) ?? [];
    return (await this.views([{ user, teamIds }]))[0];
  }

  async create(input: UserInput): Promise<UserView> {
    const problems = new Problems();
    const email = input.email.trim().toLowerCase();
    checkEmail(problems, email);
    checkText(problems, 'name', input.name, tenancyLimits.displayNameLength);
    const role = checkRole(problems, input.role) ? input.role : undefined;
    checkPassword(problems, input.password);
    problems.throwIfAny();
    if (await this.repository.findUserByEmail(email)) {
      throw new DomainError(ErrorCode.Conflict, `email: a user with the email ${JSON.stringify(email)} exists already`, [{ field: 'email', message: 'exists already' }]);
    }
    const teams = await this.teams.resolveAll(input.teams, 'teams');
    const user = await this.repository.createUser(email, await hashPassword(input.password), role!, input.name.trim(), teams.map((team) => team.id));
    return this.get(user.id);
  }

  /** Role and teams take effect at the user's next request; a new password ends the user's other sessions. */
  async update(id: string, input: { name?: string | null; role?: string | null; teams?: readonly string[] | null; password?: string | null }, actor?: UserActor): Promise<UserView> {
    const current = await this.get(id);
    const problems = new Problems();
    if (typeof input.name === 'string') checkText(problems, 'name', input.name, tenancyLimits.displayNameLength);
    if (typeof input.role === 'string') checkRole(problems, input.role);
    if (typeof input.password === 'string') checkPassword(problems, input.password);
    problems.throwIfAny();
    if (actor?.userId === id && typeof input.role === 'string' && input.role !== current.user.role) {
      throw new DomainError(ErrorCode.Validation, 'role: you cannot change your own role (another admin can)', [{ field: 'role', message: 'cannot change your own role' }]);
    }
    const teams = input.teams ? await this.teams.resolveAll(input.teams, 'teams') : undefined;
    await this.repository.updateUser(
      id,
      {
        ...(typeof input.name === 'string' && { name: input.name.trim() }),
        ...(typeof input.role === 'string' && { role: input.role as Role }),
        ...(typeof input.password === 'string' && { passwordHash: await hashPassword(input.password) }),
      },
      teams?.map((team) => team.id),
    );
    if (typeof input.password === 'string') await this.repository.revokeSessionsOfUser(id, new Date(), actor?.userId === id ? actor.sessionId : undefined);
    return this.get(id);
  }

  /** From this instant: the user cannot sign in, and every session of theirs is refused (and revoked). */
  async deactivate(id: string, actor?: UserActor, now = new Date()): Promise<UserView> {
    if (actor?.userId === id) throw new DomainError(ErrorCode.Validation, 'id: you cannot deactivate yourself (another admin can)', [{ field: 'id', message: 'cannot deactivate yourself' }]);
    const current = await this.get(id);
    if (!current.user.deactivatedAt) await this.repository.updateUser(id, { deactivatedAt: now });
    await this.repository.revokeSessionsOfUser(id, now);
    return this.get(id);
  }

  private async views(rows: UserWithTeams[]): Promise<UserView[]> {
    const ids = [...new Set(rows.flatMap((row) => row.teamIds))];
    const teams = ids.length === 0 ? [] : (await this.teams.list({ page: 0, perPage: ids.length, sortField: 'name', sortOrder: 'ASC', ids })).rows;
    const names = new Map(teams.map((view) => [view.team.id, view.team.name]));
    return rows.map((row) => ({ ...row, teamNames: row.teamIds.map((teamId) => names.get(teamId) ?? teamId).sort() }));
  }
}
