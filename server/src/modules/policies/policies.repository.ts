import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, QueryFailedError, Raw, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { PolicyVersionEntity } from './policy-version.entity';
import { PolicyEntity } from './policy.entity';

/** What the service decided to write for a policy: a new version of it, or a deletion. */
export interface PolicyWrite {
  scopeKind: string;
  scopeSubject: string;
  /** The document as stored: canonical (keys in the contract's order). */
  document: unknown;
  deleted: boolean;
  actor: string;
}

export interface PolicyListQuery {
  page: number;
  perPage: number;
  sortField: 'name' | 'scopeKind' | 'scopeSubject' | 'version' | 'updatedAt';
  sortOrder: 'ASC' | 'DESC';
  names?: string[];
  q?: string;
  scopeKind?: string;
  scopeSubject?: string;
  includeDeleted?: boolean;
}

/** A version as decisions use it: the policy's name, number and document. */
export interface StoredVersion {
  name: string;
  version: number;
  document: unknown;
}

const uniqueViolation = '23505';

@Injectable()
export class PoliciesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get policies() {
    return this.dataSource.getRepository(PolicyEntity);
  }

  private get versions() {
    return this.dataSource.getRepository(PolicyVersionEntity);
  }

  /**
   * Writes a policy's next version in one transaction, the policy's row locked meanwhile, so concurrent writers of
   * one name number their versions one after another. `decide` sees the current row (null for a new name) and
   * answers the write, or null to write nothing (an unchanged document). Two first writes of one new name race on
   * the unique name: the loser runs again and sees the winner's row. `alongside` runs in the same transaction after a
   * version was written (the audit row), so the version and what is recorded with it commit together.
   */
  async writeVersion(
    name: string,
    decide: (current: PolicyEntity | null) => PolicyWrite | null,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<{ policy: PolicyEntity; written: PolicyVersionEntity | null; previous: PolicyEntity | null }> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          const result = await this.writeVersionIn(manager, name, decide);
          if (result.written && alongside) await alongside(manager);
          return result;
        });
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
        if (code !== uniqueViolation || attempt >= 3) throw error;
      }
    }
  }

  private async writeVersionIn(
    manager: EntityManager,
    name: string,
    decide: (current: PolicyEntity | null) => PolicyWrite | null,
  ): Promise<{ policy: PolicyEntity; written: PolicyVersionEntity | null; previous: PolicyEntity | null }> {
    const policies = manager.getRepository(PolicyEntity);
    const current = await policies.findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
    const write = decide(current);
    if (!write) {
      if (!current) throw new Error(`nothing to write for the new policy ${name}`);
      return { policy: current, written: null, previous: current };
    }
    const previous = current ? { ...current } : null;
    const version = (current?.version ?? 0) + 1;
    const row = current ?? policies.create({ name });
    row.scopeKind = write.scopeKind;
    row.scopeSubject = write.scopeSubject;
    row.version = version;
    row.document = write.document;
    row.updatedBy = write.actor;
    row.deletedAt = write.deleted ? new Date() : null;
    const policy = await policies.save(row);
    const versions = manager.getRepository(PolicyVersionEntity);
    const written = await versions.save(
      versions.create({ policyId: policy.id, version, document: write.document, deleted: write.deleted, createdBy: write.actor }),
    );
    return { policy, written, previous };
  }

  findByName(name: string): Promise<PolicyEntity | null> {
    return this.policies.findOneBy({ name });
  }

  findVersion(policyId: string, version: number): Promise<PolicyVersionEntity | null> {
    return this.versions.findOneBy({ policyId, version });
  }

  /** Oldest first. */
  findVersions(policyId: string): Promise<PolicyVersionEntity[]> {
    return this.versions.find({ where: { policyId }, order: { version: 'ASC' } });
  }

  async list(query: PolicyListQuery): Promise<{ rows: PolicyEntity[]; total: number }> {
    const base: FindOptionsWhere<PolicyEntity> = {};
    if (!query.includeDeleted) base.deletedAt = IsNull();
    if (query.names) base.name = In(query.names);
    if (query.scopeKind) base.scopeKind = query.scopeKind;
    if (query.scopeSubject) base.scopeSubject = query.scopeSubject;
    const where = query.q
      ? [
          { ...base, name: ilike(query.q) },
          { ...base, scopeSubject: ilike(query.q) },
        ]
      : base;
    const [rows, total] = await this.policies.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, name: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  /** The current version of every policy not deleted: what decisions apply. */
  async findCurrent(): Promise<StoredVersion[]> {
    const rows = await this.policies.find({ where: { deletedAt: IsNull() }, select: { name: true, version: true, document: true } });
    return rows.map((row) => ({ name: row.name, version: row.version, document: row.document }));
  }

  /** The version of each policy in force at an instant (the latest written by then), leaving out deleted ones. */
  async findInForceAt(instant: Date): Promise<StoredVersion[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (v.policy_id) p.name AS name, v.version AS version, v.document AS document, v.deleted AS deleted
         FROM policy_versions v JOIN policies p ON p.id = v.policy_id
        WHERE v.created_at <= $1
        ORDER BY v.policy_id, v.version DESC`,
      [instant],
    )) as Array<{ name: string; version: number; document: unknown; deleted: boolean }>;
    return rows.filter((row) => !row.deleted).map((row) => ({ name: row.name, version: Number(row.version), document: row.document }));
  }
}

function ilike(text: string) {
  // Wildcards the user typed are matched literally.
  const escaped = text.replace(/[\\%_]/g, (character) => `\\${character}`);
  return Raw((alias) => `${alias} ILIKE :pattern`, { pattern: `%${escaped}%` });
}
