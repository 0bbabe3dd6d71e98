import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type RollupRebuild, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import { tableRollups } from '../../engine/clickhouse/rollup-rebuild';
import { policyDecisionColumns, serializePolicyDecisionRow, type PolicyDecisionRow } from './decisions/policy-decision-row';

const decisionsStream = 'policy-decisions';
const resentDecisionsStream = 'policy-decisions-resent';

/** The only place that writes decision rows to ClickHouse (through the exactly-once writer) and reads them back. */
@Injectable()
export class PolicyDecisionsRepository implements OnModuleInit {
  private readonly database: string;
  /** The hourly decisions rollup rebuilt from the stored decisions, after a crash on the embedded engine. */
  readonly rollups: RollupRebuild;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
    this.rollups = tableRollups(clickhouse, { table: `${this.database}.policy_decisions`, timeColumn: 'time' });
  }

  onModuleInit(): void {
    const table = `${this.database}.policy_decisions`;
    const rollups = this.rollups;
    // A decision id is made once, by the decision, and written by one write: no other writer can hold it, so there
    // is nothing to claim or look up while writing. Only a batch replayed after a restart asks which ids are stored.
    this.writer.registerStream<PolicyDecisionRow>({
      name: decisionsStream,
      table,
      columns: policyDecisionColumns,
      serialize: serializePolicyDecisionRow,
      rollups,
      deduplication: {
        keyOf: (row) => row.decision_id,
        findStoredKeys: (keys) => this.findStoredDecisionIds(keys),
        claim: false,
        lookupOnWrite: false,
      },
    });
    // Rows sent again after a restart (the gateway's journal) may be stored already: claimed and looked up.
    this.writer.registerStream<PolicyDecisionRow>({
      name: resentDecisionsStream,
      table,
      columns: policyDecisionColumns,
      serialize: serializePolicyDecisionRow,
      rollups,
      deduplication: { keyOf: (row) => row.decision_id, findStoredKeys: (keys) => this.findStoredDecisionIds(keys) },
    });
  }

  /** Resolves once the rows are stored. */
  write(rows: PolicyDecisionRow[]): Promise<WriteOutcome> {
    return this.writer.write(decisionsStream, rows);
  }

  /** The same for rows that may be stored already; those come back as duplicates. */
  writeResent(rows: PolicyDecisionRow[]): Promise<WriteOutcome> {
    return this.writer.write(resentDecisionsStream, rows);
  }

  private async findStoredDecisionIds(ids: string[]): Promise<Set<string>> {
    const result = await this.clickhouse.query({
      query: `SELECT DISTINCT decision_id FROM ${this.database}.policy_decisions WHERE decision_id IN {ids:Array(String)}`,
      query_params: { ids },
      format: 'JSONCompactEachRow',
    });
    return new Set((await result.json<[string]>()).map(([id]) => id));
  }
}
