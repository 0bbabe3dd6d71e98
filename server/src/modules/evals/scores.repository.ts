import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import { scoreColumns, scoreKey, serializeScoreRow, type ScoreRow } from './score-row';

const scoresStream = 'scores';

/** The only place that writes score rows. */
@Injectable()
export class ScoresRepository implements OnModuleInit {
  private readonly database: string;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
  }

  onModuleInit(): void {
    // Exactly once per (team, id): claimed, then looked up in score_keys, which the insert itself fills.
    this.writer.registerStream<ScoreRow>({
      name: scoresStream,
      table: `${this.database}.scores`,
      columns: scoreColumns,
      serialize: serializeScoreRow,
      deduplication: {
        keyOf: (row) => scoreKey(row.team, row.id),
        findStoredKeys: (keys) => this.findStoredScoreKeys(keys),
      },
    });
  }

  /** Resolves once the rows are stored; (team, id) pairs already stored come back as duplicates. */
  writeScores(rows: ScoreRow[]): Promise<WriteOutcome> {
    return this.writer.write(scoresStream, rows);
  }

  private async findStoredScoreKeys(keys: string[]): Promise<Set<string>> {
    const teams = new Set<string>();
    const ids = new Set<string>();
    for (const key of keys) {
      const separator = key.indexOf('\u0000');
      teams.add(key.slice(0, separator));
      ids.add(key.slice(separator + 1));
    }
    const result = await this.clickhouse.query({
      query: `SELECT team, id FROM ${this.database}.score_keys WHERE team IN {teams:Array(String)} AND id IN {ids:Array(String)}`,
      query_params: { teams: [...teams], ids: [...ids] },
      format: 'JSONCompactEachRow',
    });
    const wanted = new Set(keys);
    const stored = new Set<string>();
    for (const [team, id] of await result.json<[string, string]>()) {
      const key = scoreKey(team, id);
      if (wanted.has(key)) stored.add(key);
    }
    return stored;
  }
}
