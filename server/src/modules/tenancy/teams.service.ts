import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { isUuid } from '../../engine/postgres/uuid';
import type { TeamEntity } from './team.entity';
import { TeamsRepository, type TeamListQuery } from './teams.repository';
import { checkTeamName, checkText, Problems, tenancyLimits } from './tenancy-validation';

export interface TeamView {
  team: TeamEntity;
  parentName: string | null;
  memberCount: number;
}

/** Teams and the units above them. A name is fixed once created (events carry it); the tree never has a cycle. */
@Injectable()
export class TeamsService {
  constructor(private readonly repository: TeamsRepository) {}

  async list(query: TeamListQuery): Promise<{ rows: TeamView[]; total: number }> {
    const { rows, total } = await this.repository.list(query);
    return { rows: await this.views(rows), total };
  }

  async get(id: string): Promise<TeamView> {
    const team = await this.repository.findById(id);
    if (!team) throw new DomainError(ErrorCode.NotFound, `No team with id ${id}`);
    return (await this.views([team]))[0];
  }

  /** A team named by id or by name, as arguments accept either; a missing one is a problem of `field`. */
  async resolve(reference: string, field: string): Promise<TeamEntity> {
    const team = isUuid(reference) ? await this.repository.findById(reference) : await this.repository.findByName(reference);
    if (!team) throw new DomainError(ErrorCode.Validation, `${field}: no team ${JSON.stringify(reference)}`, [{ field, message: `no team ${JSON.stringify(reference)}` }]);
    return team;
  }

  /** Several teams by id or name, every missing one named under `field`. */
  async resolveAll(references: readonly string[], field: string): Promise<TeamEntity[]> {
    const unique = [...new Set(references)];
    if (unique.length > tenancyLimits.teamsPerUser) {
      throw new DomainError(ErrorCode.Validation, `${field}: at most ${tenancyLimits.teamsPerUser} teams`, [{ field, message: `at most ${tenancyLimits.teamsPerUser} teams` }]);
    }
    const [byId, byName] = await Promise.all([this.repository.findByIds(unique.filter(isUuid)), this.repository.findByNames(unique.filter((reference) => !isUuid(reference)))]);
    const found = new Map<string, TeamEntity>([...byId.map((team) => [team.id, team] as const), ...byName.map((team) => [team.name, team] as const)]);
    const missing = unique.filter((reference) => !found.has(reference));
    if (missing.length > 0) {
      const message = `no team ${missing.map((reference) => JSON.stringify(reference)).join(', ')}`;
      throw new DomainError(ErrorCode.Validation, `${field}: ${message}`, [{ field, message }]);
    }
    return unique.map((reference) => found.get(reference)!);
  }

  async create(input: { name: string; displayName?: string | null; parent?: string | null }): Promise<TeamView> {
    const problems = new Problems();
    checkTeamName(problems, input.name);
    checkText(problems, 'displayName', input.displayName ?? '', tenancyLimits.displayNameLength);
    problems.throwIfAny();
    if (await this.repository.findByName(input.name)) {
      throw new DomainError(ErrorCode.Conflict, `name: a team named ${JSON.stringify(input.name)} exists already`, [{ field: 'name', message: 'exists already' }]);
    }
    const parent = input.parent ? await this.resolve(input.parent, 'parent') : null;
    if (parent && (await this.repository.ancestorIds(parent.id)).length >= tenancyLimits.teamDepth) {
      throw new DomainError(ErrorCode.Validation, `parent: teams nest at most ${tenancyLimits.teamDepth} deep`, [{ field: 'parent', message: `teams nest at most ${tenancyLimits.teamDepth} deep` }]);
    }
    const team = await this.repository.create({ name: input.name, displayName: input.displayName || input.name, parentId: parent?.id ?? null });
    return this.get(team.id);
  }

  /** `parent`: a team id or name to move under, null to make it top-level, undefined to leave as is. */
  async update(id: string, input: { displayName?: string | null; parent?: string | null }): Promise<TeamView> {
    const team = await this.repository.findById(id);
    if (!team) throw new DomainError(ErrorCode.NotFound, `No team with id ${id}`);
    const problems = new Problems();
    if (input.displayName !== undefined && input.displayName !== null) checkText(problems, 'displayName', input.displayName, tenancyLimits.displayNameLength);
    problems.throwIfAny();
    const parent: TeamEntity | null | undefined = input.parent ? await this.resolve(input.parent, 'parent') : input.parent === undefined ? undefined : null;
    await this.repository.withParentLock(async (manager) => {
      if (parent) {
        const above = await this.repository.ancestorIds(parent.id, manager);
        if (above.includes(team.id)) {
          throw new DomainError(ErrorCode.Validation, `parent: ${JSON.stringify(parent.name)} is ${parent.id === team.id ? 'this team itself' : 'under this team'}, which would make a cycle`, [
            { field: 'parent', message: 'would make a cycle' },
          ]);
        }
        if (above.length >= tenancyLimits.teamDepth) {
          throw new DomainError(ErrorCode.Validation, `parent: teams nest at most ${tenancyLimits.teamDepth} deep`, [{ field: 'parent', message: `teams nest at most ${tenancyLimits.teamDepth} deep` }]);
        }
      }
      await this.repository.update(
        team.id,
        {
          ...(input.displayName !== undefined && input.displayName !== null && { displayName: input.displayName || team.name }),
          ...(parent !== undefined && { parentId: parent?.id ?? null }),
        },
        manager,
      );
    });
    return this.get(team.id);
  }

  /** Refused while anything hangs on the team (members, API keys, teams under it), saying what. */
  async delete(id: string): Promise<TeamView> {
    const view = await this.get(id);
    const { members, keys, children } = await this.repository.dependantsOf(view.team.id);
    const holding = [
      members > 0 && `${members} member${members === 1 ? '' : 's'} (remove them from the team first)`,
      keys > 0 && `${keys} API key${keys === 1 ? '' : 's'} (revoked keys stay for their history)`,
      children > 0 && `${children} team${children === 1 ? '' : 's'} under it (move or delete them first)`,
    ].filter(Boolean);
    if (holding.length > 0) {
      throw new DomainError(ErrorCode.Conflict, `Team ${JSON.stringify(view.team.name)} cannot be deleted: it has ${holding.join(', ')}`, { members, keys, children });
    }
    await this.repository.delete(view.team.id);
    return view;
  }

  private async views(teams: TeamEntity[]): Promise<TeamView[]> {
    const parentIds = [...new Set(teams.map((team) => team.parentId).filter((parentId): parentId is string => parentId !== null))];
    const [parents, counts] = await Promise.all([this.repository.findByIds(parentIds), this.repository.memberCounts(teams.map((team) => team.id))]);
    const parentNames = new Map(parents.map((parent) => [parent.id, parent.name]));
    return teams.map((team) => ({ team, parentName: team.parentId ? (parentNames.get(team.parentId) ?? null) : null, memberCount: counts.get(team.id) ?? 0 }));
  }
}
