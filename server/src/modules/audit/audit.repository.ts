import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditRowContent, JsonValue } from './audit-hash';

/** A stored row: its content and the hash written with it. */
export interface AuditRow extends AuditRowContent {
  hash: string;
}

/** The end of the chain an append links to: null while the log is empty. */
export interface ChainHead {
  sequence: string;
  id: string;
  hash: string;
}

export const sortableAuditFields = ['sequence', 'at', 'action', 'actor', 'team', 'targetType'] as const;
export type AuditSortField = (typeof sortableAuditFields)[number];

export interface AuditListQuery {
  page: number;
  perPage: number;
  sortField: AuditSortField;
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  action?: string;
  actor?: string;
  team?: string;
  targetType?: string;
  from?: Date;
  to?: Date;
  q?: string;
}

/** One fixed advisory lock key for every audit append on this Postgres, from every process. */
const appendLockKey = '4175646974'; // "Audit"

// Qualified: ORDER BY would otherwise take the selected `sequence::text` alias and sort numbers as text.
const columnsByField: Record<AuditSortField, string> = {
  sequence: 'audit_log.sequence',
  at: 'audit_log.at',
  action: 'audit_log.action',
  actor: 'audit_log.actor',
  team: 'audit_log.team',
  targetType: 'audit_log.target_type',
};

const selectColumns = `sequence::text AS sequence, id, at, action, actor, actor_role AS "actorRole", target_type AS "targetType",
  target_id AS "targetId", team, before, after, details, prev_id AS "prevId", prev_hash AS "prevHash", hash`;

type StoredRow = Omit<AuditRow, 'before' | 'after' | 'details'> & { before: JsonValue | null; after: JsonValue | null; details: JsonValue | null };

function rowOf(stored: StoredRow): AuditRow {
  return { ...stored, at: new Date(stored.at), before: stored.before ?? null, after: stored.after ?? null, details: stored.details ?? null };
}

function jsonParameter(value: JsonValue): string | null {
  return value === null ? null : JSON.stringify(value);
}

/**
 * The only place with audit SQL. Append and read, nothing else: the log has no update and no delete path, by design.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one row in one transaction, under a transaction-scoped advisory lock that every Warden process takes
   * for audit appends: the head it reads (sequence and hash of the last row) is still the head when it inserts,
   * so concurrent writers, in this process or others, always form one chain. `build` turns the head into the row.
   * Given a caller's transaction (`within`), the row joins it: the change and its audit row commit or fail together.
   */
  async append(build: (head: ChainHead | null) => AuditRow, within?: EntityManager): Promise<AuditRow> {
    if (within) return this.appendIn(within, build);
    return this.dataSource.transaction((manager) => this.appendIn(manager, build));
  }

  private async appendIn(manager: EntityManager, build: (head: ChainHead | null) => AuditRow): Promise<AuditRow> {
    await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [appendLockKey]);
    const heads = (await manager.query('SELECT sequence::text AS sequence, id, hash FROM audit_log ORDER BY audit_log.sequence DESC LIMIT 1')) as ChainHead[];
    const row = build(heads[0] ?? null);
    await manager.query(
      `INSERT INTO audit_log (sequence, id, at, action, actor, actor_role, target_type, target_id, team, before, after, details, prev_id, prev_hash, hash)
       VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14, $15)`,
      [
        row.sequence,
        row.id,
        row.at,
        row.action,
        row.actor,
        row.actorRole,
        row.targetType,
        row.targetId,
        row.team,
        jsonParameter(row.before),
        jsonParameter(row.after),
        jsonParameter(row.details),
        row.prevId,
        row.prevHash,
        row.hash,
      ],
    );
    return row;
  }

  /** Up to `limit` rows after sequence `afterSequence` (exclusive), in sequence order: verification reads in pages. */
  async pageAfter(afterSequence: string, limit: number, throughSequence: string): Promise<AuditRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${selectColumns} FROM audit_log WHERE sequence > $1::bigint AND sequence <= $2::bigint ORDER BY audit_log.sequence ASC LIMIT $3`,
      [afterSequence, throughSequence, limit],
    )) as StoredRow[];
    return rows.map(rowOf);
  }

  /** The last sequence now written ('0' when empty): verification checks up to it, not rows appended meanwhile. */
  async lastSequence(): Promise<string> {
    const rows = (await this.dataSource.query('SELECT COALESCE(MAX(sequence), 0)::text AS sequence FROM audit_log')) as Array<{ sequence: string }>;
    return rows[0].sequence;
  }

  async findById(id: string): Promise<AuditRow | null> {
    const rows = (await this.dataSource.query(`SELECT ${selectColumns} FROM audit_log WHERE id = $1`, [id])) as StoredRow[];
    return rows[0] ? rowOf(rows[0]) : null;
  }

  async list(query: AuditListQuery): Promise<AuditRow[]> {
    const { where, parameters } = whereOf(query);
    const order = `${columnsByField[query.sortField]} ${query.sortOrder}${query.sortField === 'sequence' ? '' : `, audit_log.sequence ${query.sortOrder}`}`;
    parameters.push(query.perPage, query.page * query.perPage);
    const rows = (await this.dataSource.query(
      `SELECT ${selectColumns} FROM audit_log ${where} ORDER BY ${order} LIMIT $${parameters.length - 1} OFFSET $${parameters.length}`,
      parameters,
    )) as StoredRow[];
    return rows.map(rowOf);
  }

  async count(query: AuditListQuery): Promise<number> {
    const { where, parameters } = whereOf(query);
    const rows = (await this.dataSource.query(`SELECT count(*)::int AS count FROM audit_log ${where}`, parameters)) as Array<{ count: number }>;
    return rows[0].count;
  }
}

/** Filters as bound parameters; column names come only from the fixed map above. */
function whereOf(query: AuditListQuery): { where: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const bind = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  if (query.ids) conditions.push(`id::text = ANY(${bind(query.ids)}::text[])`);
  // An action filter ending in a dot (or naming a family, e.g. "auth") matches the family: "auth." → auth.login, …
  if (query.action) conditions.push(query.action.endsWith('.') ? `action LIKE ${bind(`${escapeLike(query.action)}%`)}` : `action = ${bind(query.action)}`);
  if (query.actor) conditions.push(`actor ILIKE ${bind(`%${escapeLike(query.actor)}%`)}`);
  if (query.team) conditions.push(`team = ${bind(query.team)}`);
  if (query.targetType) conditions.push(`target_type = ${bind(query.targetType)}`);
  if (query.from) conditions.push(`at >= ${bind(query.from)}`);
  if (query.to) conditions.push(`at <= ${bind(query.to)}`);
  if (query.q) {
    const pattern = bind(`%${escapeLike(query.q)}%`);
    conditions.push(`(action ILIKE ${pattern} OR actor ILIKE ${pattern} OR target_id ILIKE ${pattern} OR team ILIKE ${pattern} OR details::text ILIKE ${pattern})`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

/** What the user typed is matched literally, wildcards included. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
