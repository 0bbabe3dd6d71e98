import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import { LegalHoldEntity } from './legal-hold.entity';
import type { RetentionDataClass } from './retention-plan';
import { RetentionSweepStateEntity } from './retention-sweep-state.entity';

/** The rows a sweep found past their retention (or holding content past it): how many, and their time range. */
export interface ExpiredRange {
  rows: number;
  oldest: string | null;
  newest: string | null;
}

export type RowDataClass = Exclude<RetentionDataClass, 'content'>;

interface RowClassTables {
  table: string;
  subject: 'team' | 'node';
  /** Tables keyed on the same rows (the writer's "already stored?" keys): deleted and stamped with them. */
  companions: string[];
  /** A small table to list the subjects from (a rollup or keys table, never the raw rows). */
  subjectsFrom: string;
}

// Only these names ever reach SQL; every value is a parameter.
const rowClassTables: Record<RowDataClass, RowClassTables> = {
  requests: { table: 'requests', subject: 'team', companions: ['request_keys'], subjectsFrom: 'requests_hourly' },
  scores: { table: 'scores', subject: 'team', companions: ['score_keys'], subjectsFrom: 'score_keys' },
  gpu: { table: 'gpu_samples', subject: 'node', companions: [], subjectsFrom: 'gpu_samples_1h' },
};

/** Subjects listed per class, at most: a bound on one sweep's work list (stated in README). */
const maxSubjects = 10_000;

/**
 * Retention's reads and writes: ClickHouse deletions (lightweight DELETE), content emptying and per-row retention
 * stamps (mutations, waited for), and the legal holds and sweep state in Postgres. Mutations address the local
 * tables of a sharded cluster, ON CLUSTER where one is configured.
 */
@Injectable()
export class RetentionRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) private readonly config: WardenConfig,
    private readonly dataSource: DataSource,
  ) {
    this.database = config.clickhouse.database;
  }

  // ClickHouse

  /** The teams (or nodes, for gpu) with stored rows of a class. */
  async subjects(dataClass: RowDataClass): Promise<string[]> {
    const tables = rowClassTables[dataClass];
    const rows = await this.rows<{ subject: string }>(
      `SELECT DISTINCT ${tables.subject} AS subject FROM ${this.database}.${tables.subjectsFrom} ORDER BY subject LIMIT ${maxSubjects}`,
      {},
    );
    return rows.map((row) => row.subject);
  }

  /** Rows of one subject stored before `cutoff` (one per record: versions of one record count once). */
  async expiredRows(dataClass: RowDataClass, subject: string, cutoff: Date): Promise<ExpiredRange> {
    const tables = rowClassTables[dataClass];
    const [row] = await this.rows<{ rows: string; oldest: string | null; newest: string | null }>(
      `SELECT count() AS rows, if(rows = 0, NULL, min(timestamp)) AS oldest, if(rows = 0, NULL, max(timestamp)) AS newest
       FROM ${this.database}.${tables.table} FINAL
       WHERE ${tables.subject} = {subject:String} AND timestamp < {cutoff:DateTime64(3, 'UTC')}`,
      { subject, cutoff: clickhouseTime(cutoff) },
    );
    return { rows: Number(row.rows), oldest: row.oldest, newest: row.newest };
  }

  /** Deletes one subject's rows stored before `cutoff`, with their keys; returns when they are gone. */
  async deleteRows(dataClass: RowDataClass, subject: string, cutoff: Date): Promise<void> {
    const tables = rowClassTables[dataClass];
    for (const table of [tables.table, ...tables.companions]) {
      await this.clickhouse.command({
        query: `DELETE FROM ${this.mutationTarget(table)}
                WHERE ${tables.subject} = {subject:String} AND timestamp < {cutoff:DateTime64(3, 'UTC')}
                SETTINGS lightweight_deletes_sync = 2`,
        query_params: { subject, cutoff: clickhouseTime(cutoff) },
      });
    }
  }

  /**
   * Stamps one subject's rows with `days` where they carry another retention, so each table's TTL follows the
   * current policy (shorter or longer than the one in force at ingest). Returns how many rows needed it.
   */
  async stampRetention(dataClass: RowDataClass, subject: string, days: number): Promise<number> {
    const tables = rowClassTables[dataClass];
    let stamped = 0;
    for (const table of [tables.table, ...tables.companions]) {
      const params = { subject, days };
      const [row] = await this.rows<{ rows: string }>(
        `SELECT count() AS rows FROM ${this.database}.${table} WHERE ${tables.subject} = {subject:String} AND retention_days != {days:UInt16}`,
        params,
      );
      if (Number(row.rows) === 0) continue;
      if (table === tables.table) stamped = Number(row.rows);
      await this.clickhouse.command({
        query: `ALTER TABLE ${this.mutationTarget(table)} UPDATE retention_days = {days:UInt16}
                WHERE ${tables.subject} = {subject:String} AND retention_days != {days:UInt16}
                SETTINGS mutations_sync = 2`,
        query_params: params,
      });
    }
    return stamped;
  }

  /** Requests of a team stored before `cutoff` that still hold a prompt or a completion. */
  async expiredContent(team: string, cutoff: Date): Promise<ExpiredRange> {
    const [row] = await this.rows<{ rows: string; oldest: string | null; newest: string | null }>(
      `SELECT count() AS rows, if(rows = 0, NULL, min(timestamp)) AS oldest, if(rows = 0, NULL, max(timestamp)) AS newest
       FROM ${this.database}.requests FINAL
       WHERE team = {team:String} AND timestamp < {cutoff:DateTime64(3, 'UTC')} AND (notEmpty(prompt) OR notEmpty(completion))
       SETTINGS optimize_functions_to_subcolumns = 1`,
      { team, cutoff: clickhouseTime(cutoff) },
    );
    return { rows: Number(row.rows), oldest: row.oldest, newest: row.newest };
  }

  /** Empties the prompt and completion of a team's requests stored before `cutoff`; the rows stay, countable. */
  async emptyContent(team: string, cutoff: Date): Promise<void> {
    await this.clickhouse.command({
      query: `ALTER TABLE ${this.mutationTarget('requests')} UPDATE prompt = '', completion = ''
              WHERE team = {team:String} AND timestamp < {cutoff:DateTime64(3, 'UTC')} AND (notEmpty(prompt) OR notEmpty(completion))
              SETTINGS mutations_sync = 2`,
      query_params: { team, cutoff: clickhouseTime(cutoff) },
    });
  }

  /** Stamps a team's rows with their content retention (0: as long as the row), for the content columns' TTL. */
  async stampContentRetention(team: string, days: number): Promise<number> {
    const params = { team, days };
    const [row] = await this.rows<{ rows: string }>(
      `SELECT count() AS rows FROM ${this.database}.requests WHERE team = {team:String} AND content_retention_days != {days:UInt16}`,
      params,
    );
    if (Number(row.rows) === 0) return 0;
    await this.clickhouse.command({
      query: `ALTER TABLE ${this.mutationTarget('requests')} UPDATE content_retention_days = {days:UInt16}
              WHERE team = {team:String} AND content_retention_days != {days:UInt16}
              SETTINGS mutations_sync = 2`,
      query_params: params,
    });
    return Number(row.rows);
  }

  /** Per subject of a class: its oldest stored row and how many rows it has (versions of one record count once). */
  async oldestRows(dataClass: RowDataClass): Promise<Map<string, { oldest: string; rows: number }>> {
    const tables = rowClassTables[dataClass];
    const rows = await this.rows<{ subject: string; oldest: string; rows: string }>(
      `SELECT ${tables.subject} AS subject, min(timestamp) AS oldest, count() AS rows
       FROM ${this.database}.${tables.table} FINAL GROUP BY subject ORDER BY subject LIMIT ${maxSubjects}`,
      {},
    );
    return new Map(rows.map((row) => [row.subject, { oldest: row.oldest, rows: Number(row.rows) }]));
  }

  /** Per team: its oldest request still holding a prompt or a completion (absent when none holds any). */
  async oldestContent(): Promise<Map<string, { oldest: string; rows: number }>> {
    const rows = await this.rows<{ subject: string; oldest: string; rows: string }>(
      `SELECT team AS subject, min(timestamp) AS oldest, count() AS rows
       FROM ${this.database}.requests FINAL WHERE notEmpty(prompt) OR notEmpty(completion)
       GROUP BY subject ORDER BY subject LIMIT ${maxSubjects}
       SETTINGS optimize_functions_to_subcolumns = 1`,
      {},
    );
    return new Map(rows.map((row) => [row.subject, { oldest: row.oldest, rows: Number(row.rows) }]));
  }

  // Postgres

  private get holds() {
    return this.dataSource.getRepository(LegalHoldEntity);
  }

  private get sweepStates() {
    return this.dataSource.getRepository(RetentionSweepStateEntity);
  }

  /** Stores a hold and, in the same transaction, what `alongside` writes (its audit entry): both or neither. */
  createHold(hold: Pick<LegalHoldEntity, 'team' | 'reason' | 'placedBy' | 'placedAt'>, alongside: (saved: LegalHoldEntity, manager: EntityManager) => Promise<unknown>): Promise<LegalHoldEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(LegalHoldEntity);
      const saved = await repository.save(repository.create({ ...hold, releasedAt: null, releasedBy: null }));
      await alongside(saved, manager);
      return saved;
    });
  }

  findHold(id: string): Promise<LegalHoldEntity | null> {
    return this.holds.findOneBy({ id });
  }

  /**
   * Releases a hold once, with what `alongside` writes in the same transaction: the second release of the same hold
   * changes nothing and answers null.
   */
  releaseHold(id: string, releasedBy: string, releasedAt: Date, alongside: (released: LegalHoldEntity, manager: EntityManager) => Promise<unknown>): Promise<LegalHoldEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(LegalHoldEntity);
      const result = await repository.update({ id, releasedAt: IsNull() }, { releasedAt, releasedBy });
      if (!result.affected) return null;
      const released = await repository.findOneByOrFail({ id });
      await alongside(released, manager);
      return released;
    });
  }

  listHolds(activeOnly: boolean): Promise<LegalHoldEntity[]> {
    return this.holds.find({ where: activeOnly ? { releasedAt: IsNull() } : {}, order: { placedAt: 'DESC' }, take: 1000 });
  }

  async heldTeams(): Promise<Set<string>> {
    const rows = await this.holds.find({ where: { releasedAt: IsNull() }, select: { team: true } });
    return new Set(rows.map((row) => row.team));
  }

  /** Records one class-and-subject sweep; a receipt adds one to its count. */
  async recordSweep(dataClass: RetentionDataClass, subject: string, sweptAt: Date, rows: number, receipt: boolean, appliedDays: number | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO retention_sweep_state (data_class, subject, last_swept_at, last_rows, receipts, applied_days)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (data_class, subject) DO UPDATE SET last_swept_at = EXCLUDED.last_swept_at, last_rows = EXCLUDED.last_rows,
         receipts = retention_sweep_state.receipts + EXCLUDED.receipts, applied_days = EXCLUDED.applied_days`,
      [dataClass, subject, sweptAt, rows, receipt ? 1 : 0, appliedDays],
    );
  }

  allSweepStates(): Promise<RetentionSweepStateEntity[]> {
    return this.sweepStates.find({ take: 4 * maxSubjects });
  }

  private mutationTarget(table: string): string {
    const { database, cluster, sharded } = this.config.clickhouse;
    if (cluster && sharded) return `${database}.${table}_local ON CLUSTER '${cluster}'`;
    if (cluster) return `${database}.${table} ON CLUSTER '${cluster}'`;
    return `${database}.${table}`;
  }

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}
