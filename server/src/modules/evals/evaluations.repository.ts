import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import { HallucinationDimension } from './models/evaluations.model';
import { requestReferencesSql } from './score-references';

/** Which requests and scores an analytics read covers. */
export interface EvaluationScope {
  from: Date;
  to: Date;
  team?: string;
  model?: string;
  /** Several models at once (a comparison). */
  models?: string[];
  node?: string;
  provider?: string;
  evaluator?: string;
  name?: string;
  /** The reader's teams (null or absent: every team); other teams' requests and scores are not read. */
  teams?: readonly string[] | null;
}

export interface HallucinationCountRecord {
  team?: string;
  model?: string;
  node?: string;
  day?: string;
  evaluator?: string;
  requests?: string;
  scored_requests: string;
  hallucinated_requests: string;
}

export interface ScoreStatisticsRecord {
  name: string;
  data_type: string;
  scores: string;
  minimum: number | null;
  maximum: number | null;
}

export interface ScoreBucketRecord {
  name: string;
  bucket: string;
  category: string;
  scores: string;
  hallucinated: string;
}

/** Bucket bounds per numeric score name, handed to the histogram query: `buckets` equal parts of [low, low + span]. */
export interface NumericBuckets {
  names: string[];
  lows: number[];
  spans: number[];
  buckets: number;
}

export interface ScoredRequestRecord {
  team: string;
  request_id: string;
  model: string;
  node: string;
  timestamp: string;
  score_id: string;
  name: string;
  evaluator: string;
  numeric_value: number | null;
  boolean_value: number | null;
  label: string;
  hallucinated: number | null;
  comment: string;
  scored_at: string;
}

export interface ModelMeanRecord {
  model: string;
  mean_value: number | null;
}

/** Worst first: flagged requests, then the value in the bad direction (fixed texts, chosen by the service). */
export const worstOrderings = {
  lowestFirst: 'ifNull(latest.hallucinated, 0) DESC, latest.numeric_value ASC NULLS LAST',
  highestFirst: 'ifNull(latest.hallucinated, 0) DESC, latest.numeric_value DESC NULLS LAST',
} as const;

// Group columns per dimension, over `requests_in_range` (q) and `verdicts` (v). Only these ever reach SQL.
const dimensionColumns: Record<Exclude<HallucinationDimension, HallucinationDimension.EVALUATOR>, string> = {
  TEAM: 'q.team AS team',
  MODEL: 'q.model AS model',
  NODE: 'q.node AS node',
  DAY: 'q.day AS day',
};
const dimensionAliases: Record<Exclude<HallucinationDimension, HallucinationDimension.EVALUATOR>, string> = {
  TEAM: 'team',
  MODEL: 'model',
  NODE: 'node',
  DAY: 'day',
};

/**
 * Every analytics read of scores. Scores are joined to their requests here, when read, on (team, reference): a score
 * stored before its request counts as soon as the request is stored. Ranges are over the requests' time; every
 * value is bound as a {name:Type} parameter.
 */
@Injectable()
export class EvaluationsRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
  }

  /**
   * Per group: requests, requests with a verdict, requests flagged. Without EVALUATOR a request's verdict is the
   * worst of its latest verdict per score name; with EVALUATOR it is counted once per evaluator that judged it (and
   * `requests` is left to a second read without EVALUATOR).
   */
  async hallucinationCounts(scope: EvaluationScope, groupBy: HallucinationDimension[]): Promise<HallucinationCountRecord[]> {
    const { sql: common, params } = this.commonExpressions(scope, { verdictsOnly: true });
    const requestDimensions = groupBy.filter((dimension): dimension is Exclude<HallucinationDimension, HallucinationDimension.EVALUATOR> => dimension !== HallucinationDimension.EVALUATOR);
    const selected = requestDimensions.map((dimension) => dimensionColumns[dimension]);
    const aliases = requestDimensions.map((dimension) => dimensionAliases[dimension]);
    const byEvaluator = groupBy.includes(HallucinationDimension.EVALUATOR);
    const verdicts = `latest_verdicts AS (
        SELECT team, request_id, name, evaluator, hallucinated FROM links
        ORDER BY scored_at DESC, score_id DESC LIMIT 1 BY team, request_id, name
      ),
      verdicts AS (
        SELECT team, request_id, ${byEvaluator ? 'evaluator, ' : ''}max(hallucinated) AS verdict, toUInt8(1) AS judged
        FROM latest_verdicts GROUP BY team, request_id${byEvaluator ? ', evaluator' : ''}
      )`;
    const groupAliases = byEvaluator ? [...aliases, 'evaluator'] : aliases;
    const sql = byEvaluator
      ? `${common}, ${verdicts}
         SELECT ${[...selected, 'v.evaluator AS evaluator', 'count() AS scored_requests', 'sum(v.verdict) AS hallucinated_requests'].join(', ')}
         FROM verdicts AS v INNER JOIN requests_in_range AS q ON q.team = v.team AND q.id = v.request_id
         GROUP BY ${groupAliases.join(', ')} ORDER BY ${groupAliases.join(', ')} LIMIT 10000`
      : `${common}, ${verdicts}
         SELECT ${[...selected, 'count() AS requests', 'sum(v.judged) AS scored_requests', 'sum(v.verdict) AS hallucinated_requests'].join(', ')}
         FROM requests_in_range AS q LEFT JOIN verdicts AS v ON q.team = v.team AND q.id = v.request_id
         ${groupAliases.length > 0 ? `GROUP BY ${groupAliases.join(', ')} ORDER BY ${groupAliases.join(', ')} LIMIT 10000` : ''}`;
    return this.rows<HallucinationCountRecord>(sql, params);
  }

  /** Per score name: its type, how many scores (one per score id) and the smallest and largest number. */
  async scoreStatistics(scope: EvaluationScope): Promise<ScoreStatisticsRecord[]> {
    const { sql: common, params } = this.commonExpressions(scope, { verdictsOnly: false });
    return this.rows<ScoreStatisticsRecord>(
      `${common}, ${distinctScores}
       SELECT name, any(data_type) AS data_type, count() AS scores, min(numeric_value) AS minimum, max(numeric_value) AS maximum
       FROM distinct_scores GROUP BY name ORDER BY name LIMIT 1000`,
      params,
    );
  }

  /** Scores per bucket: numeric ones by the bounds given per name, booleans and labels by value. */
  async scoreBuckets(scope: EvaluationScope, numeric: NumericBuckets): Promise<ScoreBucketRecord[]> {
    const { sql: common, params } = this.commonExpressions(scope, { verdictsOnly: false });
    return this.rows<ScoreBucketRecord>(
      `${common}, ${distinctScores}
       SELECT name,
         if(data_type = 'numeric' AND numeric_value IS NOT NULL AND has({bucketNames:Array(String)}, name),
            -- Multiplied by the count before dividing by the span: 0.3 of [0, 1] in 10 buckets is bucket 3, where dividing
            -- by a width of 0.1 gives 2.9999999999999996.
            greatest(0, least(toInt64(floor((assumeNotNull(numeric_value) - {bucketLows:Array(Float64)}[indexOf({bucketNames:Array(String)}, name)])
                                            * {bucketCount:Int64} / {bucketSpans:Array(Float64)}[indexOf({bucketNames:Array(String)}, name)])), {bucketCount:Int64} - 1)),
            -1) AS bucket,
         multiIf(data_type = 'numeric', '', data_type = 'boolean', if(boolean_value = 1, 'true', 'false'), label) AS category,
         count() AS scores,
         countIf(hallucinated = 1) AS hallucinated
       FROM distinct_scores
       GROUP BY name, bucket, category ORDER BY name, bucket, category LIMIT 100000`,
      { ...params, bucketNames: numeric.names, bucketLows: numeric.lows, bucketSpans: numeric.spans, bucketCount: numeric.buckets },
    );
  }

  /** The requests whose latest score of one name is worst, worst first. */
  async worstScoredRequests(scope: EvaluationScope & { name: string }, ordering: keyof typeof worstOrderings, limit: number): Promise<ScoredRequestRecord[]> {
    const { sql: common, params } = this.commonExpressions(scope, { verdictsOnly: false });
    return this.rows<ScoredRequestRecord>(
      `${common},
       latest AS (SELECT * FROM links ORDER BY scored_at DESC, score_id DESC LIMIT 1 BY team, request_id)
       SELECT latest.team AS team, latest.request_id AS request_id, q.model AS model, q.node AS node, q.timestamp AS timestamp,
              latest.score_id AS score_id, latest.name AS name, latest.evaluator AS evaluator, latest.numeric_value AS numeric_value,
              latest.boolean_value AS boolean_value, latest.label AS label, latest.hallucinated AS hallucinated,
              latest.comment AS comment, latest.scored_at AS scored_at
       FROM latest INNER JOIN requests_in_range AS q ON q.team = latest.team AND q.id = latest.request_id
       ORDER BY ${worstOrderings[ordering]}, q.timestamp DESC, latest.request_id
       LIMIT {limit:UInt32}`,
      { ...params, limit },
    );
  }

  /** Per model: the mean of the scope's numeric scores, latest per request and name. */
  async meanValueByModel(scope: EvaluationScope): Promise<ModelMeanRecord[]> {
    const { sql: common, params } = this.commonExpressions(scope, { verdictsOnly: false });
    return this.rows<ModelMeanRecord>(
      `${common},
       latest AS (SELECT team, request_id, numeric_value FROM links ORDER BY scored_at DESC, score_id DESC LIMIT 1 BY team, request_id, name)
       SELECT q.model AS model, avg(latest.numeric_value) AS mean_value
       FROM latest INNER JOIN requests_in_range AS q ON q.team = latest.team AND q.id = latest.request_id
       GROUP BY model ORDER BY model`,
      params,
    );
  }

  /**
   * requests_in_range: the requests of the scope with their reference texts. links: each score of the scope joined
   * to its request (a score reaching one request through two references is one link per reference: readers keep
   * one per score id).
   */
  private commonExpressions(scope: EvaluationScope, options: { verdictsOnly: boolean }): { sql: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = { from: clickhouseTime(scope.from), to: clickhouseTime(scope.to) };
    const requestConditions = ["timestamp >= {from:DateTime64(3, 'UTC')}", "timestamp < {to:DateTime64(3, 'UTC')}"];
    const scoreConditions: string[] = [];
    for (const field of ['team', 'model', 'node', 'provider'] as const) {
      if (!scope[field]) continue;
      requestConditions.push(`${field} = {${field}:String}`);
      params[field] = scope[field];
    }
    if (scope.models) {
      requestConditions.push('model IN {models:Array(String)}');
      params.models = scope.models;
    }
    if (scope.team) scoreConditions.push('team = {team:String}');
    if (scope.teams) {
      requestConditions.push('team IN {readerTeams:Array(String)}');
      scoreConditions.push('team IN {readerTeams:Array(String)}');
      params.readerTeams = scope.teams;
    }
    if (scope.evaluator) {
      scoreConditions.push('evaluator = {evaluator:String}');
      params.evaluator = scope.evaluator;
    }
    if (scope.name) {
      scoreConditions.push('name = {name:String}');
      params.name = scope.name;
    }
    if (options.verdictsOnly) scoreConditions.push('hallucinated IS NOT NULL');
    const sql = `WITH
      requests_in_range AS (
        SELECT team, id, model, node, timestamp, toStartOfDay(timestamp) AS day, ${requestReferencesSql} AS refs
        FROM ${this.database}.requests FINAL
        WHERE ${requestConditions.join(' AND ')}
      ),
      links AS (
        SELECT r.team AS team, r.id AS request_id, s.id AS score_id, s.name AS name, s.data_type AS data_type, s.evaluator AS evaluator,
               s.numeric_value AS numeric_value, s.boolean_value AS boolean_value, s.label AS label,
               ${options.verdictsOnly ? 'assumeNotNull(s.hallucinated)' : 's.hallucinated'} AS hallucinated,
               s.comment AS comment, s.timestamp AS scored_at
        FROM (SELECT team, id, arrayJoin(refs) AS reference FROM requests_in_range) AS r
        INNER JOIN (
          SELECT team, id, name, data_type, evaluator, numeric_value, boolean_value, label, hallucinated, comment, timestamp, arrayJoin(refs) AS reference
          FROM ${this.database}.scores FINAL
          ${scoreConditions.length > 0 ? `WHERE ${scoreConditions.join(' AND ')}` : ''}
        ) AS s ON r.team = s.team AND r.reference = s.reference
      )`;
    return { sql, params };
  }

  private async rows<Row>(query: string, params: Record<string, unknown>): Promise<Row[]> {
    const result = await this.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<Row>();
  }
}

/** One row per score (team, id), whichever reference joined it. */
const distinctScores = `distinct_scores AS (
  SELECT name, data_type, numeric_value, boolean_value, label, hallucinated FROM links
  ORDER BY team, score_id LIMIT 1 BY team, score_id
)`;
