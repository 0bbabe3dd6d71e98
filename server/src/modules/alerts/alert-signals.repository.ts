import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';

/**
 * The alert readings no other module answers yet: refused policy decisions per team over a short window. Reads
 * the decisions table the policies module writes; values are bound as {name:Type} parameters.
 */
@Injectable()
export class AlertSignalsRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
  }

  /** Refused decisions in [from, to) per team; a decision stored twice (a replayed batch) counts once. */
  async denialsByTeam(from: Date, to: Date, filter: { team?: string; reason?: string }): Promise<Array<{ team: string; denials: number }>> {
    const conditions = ['time >= {from:DateTime64(3, \'UTC\')}', 'time < {to:DateTime64(3, \'UTC\')}', 'NOT allowed'];
    const params: Record<string, unknown> = { from: clickhouseTime(from), to: clickhouseTime(to) };
    if (filter.team !== undefined) {
      conditions.push('team = {team:String}');
      params.team = filter.team;
    }
    if (filter.reason !== undefined) {
      conditions.push('reason = {reason:String}');
      params.reason = filter.reason;
    }
    const result = await this.clickhouse.query({
      query: `SELECT team, uniqExact(decision_id) AS denials FROM ${this.database}.policy_decisions
              WHERE ${conditions.join(' AND ')} GROUP BY team ORDER BY team LIMIT 10000`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ team: string; denials: string | number }>();
    return rows.map((row) => ({ team: row.team, denials: Number(row.denials) }));
  }
}
