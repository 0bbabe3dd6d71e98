import { isUuid } from '../../engine/postgres/uuid';
import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, ILike, In } from 'typeorm';
import { NodeRateVersionEntity } from './node-rate-version.entity';
import { NodeEntity } from './node.entity';

export interface NodeListQuery {
  page: number;
  perPage: number;
  sortField: 'name' | 'kind' | 'createdAt' | 'updatedAt';
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  name?: string;
  kind?: string;
}

export type NodeRateValues = Pick<NodeRateVersionEntity, 'effectiveFrom' | 'hourlyCostUsd' | 'energyPriceUsdPerKwh' | 'powerOverheadFactor'>;

/** The only place that reads and writes inference nodes and their rate versions. */
@Injectable()
export class NodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get nodes() {
    return this.dataSource.getRepository(NodeEntity);
  }

  private get rateVersions() {
    return this.dataSource.getRepository(NodeRateVersionEntity);
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

  /** Rate versions of the given nodes (every node when none given), oldest first per node. */
  findRateVersions(nodeIds?: readonly string[]): Promise<NodeRateVersionEntity[]> {
    if (nodeIds && nodeIds.length === 0) return Promise.resolve([]);
    return this.rateVersions.find({
      where: nodeIds ? { nodeId: In([...nodeIds]) } : {},
      order: { nodeId: 'ASC', effectiveFrom: 'ASC' },
    });
  }

  findRateVersionAt(nodeId: string, effectiveFrom: Date): Promise<NodeRateVersionEntity | null> {
    return this.rateVersions.findOneBy({ nodeId, effectiveFrom });
  }

  /** The node and its first rate version, together or not at all. */
  createWithRates(node: Partial<NodeEntity>, rates: NodeRateValues): Promise<NodeEntity> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(NodeEntity, manager.create(NodeEntity, node));
      await manager.save(NodeRateVersionEntity, manager.create(NodeRateVersionEntity, { ...rates, nodeId: saved.id }));
      return saved;
    });
  }

  /** The node's own fields, and a rate version when given: a new one, or the not-yet-in-force one it replaces. */
  saveWithRates(node: NodeEntity, rates: (NodeRateValues & { id?: string }) | null): Promise<NodeEntity> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(NodeEntity, node);
      if (rates) await manager.save(NodeRateVersionEntity, manager.create(NodeRateVersionEntity, { ...rates, nodeId: saved.id }));
      return saved;
    });
  }

  /** Writes only the given columns (health checks), so a concurrent edit of the node is kept. */
  async updateHealth(
    id: string,
    health: Partial<Pick<NodeEntity, 'healthStatus' | 'healthLatencyMs' | 'healthCheckedAt' | 'healthError' | 'flaggedModels' | 'discoveredModels'>>,
  ): Promise<void> {
    await this.nodes.update({ id }, health);
  }

  async delete(id: string): Promise<void> {
    await this.nodes.delete({ id });
  }
}
