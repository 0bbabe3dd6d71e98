import { Injectable } from '@nestjs/common';
import { DataSource, ILike, In, type FindOptionsWhere } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import { ScoreDefinitionEntity, ScoreDefinitionSeedEntity, type ScoreDefinitionOrigin } from './score-definition.entity';
import type { ScoreDefinition } from './scoring/score-definition';

export interface ScoreDefinitionListQuery {
  page: number;
  perPage: number;
  sortField: keyof ScoreDefinitionEntity;
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  dataType?: string;
  origin?: string;
}

/** The only place that reads and writes score definitions. */
@Injectable()
export class ScoreDefinitionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get definitions() {
    return this.dataSource.getRepository(ScoreDefinitionEntity);
  }

  async list(query: ScoreDefinitionListQuery): Promise<{ rows: ScoreDefinitionEntity[]; total: number }> {
    const where: FindOptionsWhere<ScoreDefinitionEntity> = {};
    if (query.ids) where.id = In(query.ids.filter((id) => isUuid(id)));
    if (query.dataType) where.dataType = query.dataType as ScoreDefinitionEntity['dataType'];
    if (query.origin) where.origin = query.origin as ScoreDefinitionOrigin;
    if (query.q) where.name = ILike(`%${query.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    const [rows, total] = await this.definitions.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  findById(id: string): Promise<ScoreDefinitionEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.definitions.findOneBy({ id });
  }

  findByName(name: string): Promise<ScoreDefinitionEntity | null> {
    return this.definitions.findOneBy({ name });
  }

  findByNames(names: string[]): Promise<ScoreDefinitionEntity[]> {
    if (names.length === 0) return Promise.resolve([]);
    return this.definitions.findBy({ name: In(names) });
  }

  save(definition: Partial<ScoreDefinitionEntity>): Promise<ScoreDefinitionEntity> {
    return this.definitions.save(this.definitions.create(definition));
  }

  async delete(id: string): Promise<void> {
    await this.definitions.delete({ id });
  }

  /**
   * Stores a definition unless one of that name exists (two servers defining the same name at once both end with
   * the one stored first); returns the stored one.
   */
  async insertIfAbsent(definition: ScoreDefinition, origin: ScoreDefinitionOrigin): Promise<ScoreDefinitionEntity> {
    await this.definitions.createQueryBuilder().insert().values(this.definitions.create({ ...definition, origin })).orIgnore().execute();
    const stored = await this.findByName(definition.name);
    if (!stored) throw new Error(`score definition "${definition.name}" was neither inserted nor found`);
    return stored;
  }

  /**
   * Seeds each shipped definition the first time this database sees its name, in one transaction: the seed record
   * and the definition go in together, a name recorded before is skipped (so a deleted one stays deleted), and a
   * server starting beside this one waits on the seed rows rather than seeding twice. Returns the names seeded now.
   */
  async seedOnce(definitions: readonly ScoreDefinition[]): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const seeded: string[] = [];
      for (const definition of definitions) {
        const recorded = await manager
          .createQueryBuilder()
          .insert()
          .into(ScoreDefinitionSeedEntity)
          .values({ name: definition.name })
          .orIgnore()
          .returning(['name'])
          .execute();
        if ((recorded.raw as unknown[]).length === 0) continue;
        await manager
          .createQueryBuilder()
          .insert()
          .into(ScoreDefinitionEntity)
          .values(manager.create(ScoreDefinitionEntity, { ...definition, origin: 'shipped' }))
          .orIgnore()
          .execute();
        seeded.push(definition.name);
      }
      return seeded;
    });
  }
}
