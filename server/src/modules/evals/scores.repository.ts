import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import { findStoredTeamIdKeys } from '../../engine/clickhouse/team-id-keys';
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

  private findStoredScoreKeys(keys: string[]): Promise<Set<string>> {
    return findStoredTeamIdKeys(this.clickhouse, `${this.database}.score_keys`, keys);
  }
}
