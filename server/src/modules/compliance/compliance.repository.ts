import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';

/** What a compliance read covers: [from, to) by whole hours, and the teams (none: every team). */
export interface ComplianceScope {
  from: Date;
  to: Date;
  teams: string[];
}

export type TimeBucket = 'HOUR' | 'DAY';

export interface DecisionBucketRecord {
  bucket: string;
  decisions: string;
  allowed: string;
}

export interface DenialRecord {
  team: string;
  model: string;
  reason: string;
  denied: string;
}

export interface DenialBucketRecord {
  bucket: string;
  reason: string;
  denied: string;
}

export interface DetectionRecord {
  team: string;
  detector: string;
  action: string;
  requests: string;
  findings: string;
  on_premises: string;
}

export interface LocalityRecord {
  team: string;
  requests: string;
  on_premises: string;
  with_personal_data: string;
  personal_data_on_premises: string;
}

// Only these texts ever reach SQL as bucket expressions.
const bucketExpressions: Record<TimeBucket, string> = { HOUR: 'hour', DAY: 'toStartOfDay(hour)' };

/**
 * Where a request was served: the location the gateway stamped on it; otherwise a request that named an inference
 * node ran on one of ours (on-premises), and one that named none went to an external API.
 */
export const servedLocationSql = "multiIf(location != '', location, node != '', 'on-premises', 'external')";

/**
 * The compliance dashboard's reads, all from hourly rollups (policy_decisions_hourly, requests_compliance_hourly):
 * 30 days of tens of millions of requests are a few thousand rows. Every value is bound as a parameter; every
 * result is bounded by LIMIT.
 */
@Injectable()
export class ComplianceRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
  }

  decisionTimeline(scope: ComplianceScope, bucket: TimeBucket): Promise<DecisionBucketRecord[]> {
    const { where, params } = this.scopeOf(scope);
    return this.rows(
      `SELECT ${bucketExpressions[bucket]} AS bucket, sum(decisions) AS decisions, sum(allowed) AS allowed
       FROM ${this.database}.policy_decisions_hourly WHERE ${where}
       GROUP BY bucket ORDER BY bucket LIMIT 10000`,
      params,
    );
  }

  denialTimeline(scope: ComplianceScope, bucket: TimeBucket): Promise<DenialBucketRecord[]> {
    const { where, params } = this.scopeOf(scope);
    return this.rows(
      `SELECT ${bucketExpressions[bucket]} AS bucket, reason, sum(decisions) - sum(allowed) AS denied
       FROM ${this.database}.policy_decisions_hourly WHERE ${where} AND reason != ''
       GROUP BY bucket, reason HAVING denied > 0 ORDER BY bucket, reason LIMIT 50000`,
      params,
    );
  }

  denials(scope: ComplianceScope): Promise<DenialRecord[]> {
    const { where, params } = this.scopeOf(scope);
    return this.rows(
      `SELECT team, model, reason, sum(decisions) - sum(allowed) AS denied
       FROM ${this.database}.policy_decisions_hourly WHERE ${where} AND reason != ''
       GROUP BY team, model, reason HAVING denied > 0 ORDER BY denied DESC, team, model, reason LIMIT 1000`,
      params,
    );
  }

  detections(scope: ComplianceScope): Promise<DetectionRecord[]> {
    const { where, params } = this.scopeOf(scope);
    return this.rows(
      `SELECT team, detector, pii_action AS action, sum(pii_requests[detector]) AS requests, sum(pii_findings[detector]) AS findings,
              sumIf(pii_requests[detector], ${servedLocationSql} = 'on-premises') AS on_premises
       FROM ${this.database}.requests_compliance_hourly ARRAY JOIN mapKeys(pii_requests) AS detector
       WHERE ${where} AND requests_with_pii > 0
       GROUP BY team, detector, action ORDER BY team, detector, action LIMIT 10000`,
      params,
    );
  }

  locality(scope: ComplianceScope): Promise<LocalityRecord[]> {
    const { where, params } = this.scopeOf(scope);
    return this.rows(
      `SELECT team, sum(hour_requests) AS requests, sumIf(hour_requests, served = 'on-premises') AS on_premises,
              sum(hour_with_pii) AS with_personal_data, sumIf(hour_with_pii, served = 'on-premises') AS personal_data_on_premises
       FROM (SELECT team, requests AS hour_requests, requests_with_pii AS hour_with_pii, ${servedLocationSql} AS served
             FROM ${this.database}.requests_compliance_hourly WHERE ${where})
       GROUP BY team ORDER BY team LIMIT 10000`,
      params,
    );
  }

  private scopeOf(scope: ComplianceScope): { where: string; params: Record<string, unknown> } {
    // Rollups are hourly: an hour is in range when it starts in [from, to), its start taken down to the hour.
    const conditions = ["hour >= toStartOfHour({from:DateTime64(3, 'UTC')})", "hour < {to:DateTime64(3, 'UTC')}"];
    const params: Record<string, unknown> = { from: clickhouseTime(scope.from), to: clickhouseTime(scope.to) };
    if (scope.teams.length > 0) {
      conditions.push('team IN {teams:Array(String)}');
      params.teams = scope.teams;
    }
    return { where: conditions.join(' AND '), params };
  }

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}
