import { isUuid } from '../../engine/postgres/uuid';
import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, ILike, In } from 'typeorm';
import { NodeEntity } from './node.entity';

export interface NodeListQuery {
  page: number;
  perPage: number;
  sortField: keyof NodeEntity;
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  name?: string;
  kind?: string;
}

/** The only place that reads and writes inference nodes. */
@Injectable()
export class NodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get nodes() {
    return this.dataSource.getRepository(NodeEntity);
  }

  findAll(): Promise<NodeEntity[]> {
    return this.nodes.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<NodeEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.nodes.findOneBy({ id });
  }

  findByName(name: string): Promise<NodeEntity | null> {
    return this.nodes.findOneBy({ name });
  }

  async list(query: NodeListQuery): Promise<{ rows: NodeEntity[]; total: number }> {
    const where: FindOptionsWhere<NodeEntity> = {};
    if (query.ids) where.id = In(query.ids.filter((id) => isUuid(id)));
    if (query.name) where.name = query.name;
    if (query.kind) where.kind = query.kind as NodeEntity['kind'];
    if (query.q) where.name = ILike(`%${query.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    const [rows, total] = await this.nodes.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  save(node: Partial<NodeEntity>): Promise<NodeEntity> {
    return this.nodes.save(this.nodes.create(node));
  }

  async delete(id: string): Promise<void> {
    await this.nodes.delete({ id });
  }
}
