import { Injectable } from '@nestjs/common';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { RequestModel } from '../usage/models/request.model';
import type { TeamScope } from '../tenancy/read-scope';
import type { Role } from '../tenancy/roles';
import { UsageService } from '../usage/usage.service';
import { twoProportionPValue, wilsonInterval } from './evaluation-statistics';
import { EvaluationsRepository, type EvaluationScope, type HallucinationCountRecord, type NumericBuckets, type ScoredRequestRecord } from './evaluations.repository';
import {
  HallucinationDimension,
  type EvaluationFilter,
  type HallucinationRateRowModel,
  type ModelComparisonModel,
  type ModelComparisonRowModel,
  type ScoreDistributionModel,
  type ScoredRequestModel,
} from './models/evaluations.model';
import { ScoreDefinitionsService } from './score-definitions.service';

const dayMilliseconds = 24 * 3600_000;
const maxRangeDays = 400;
const maxBuckets = 100;
const maxWorstRequests = 500;
const maxComparedModels = 10;

/** Hallucination analytics: rates, score distributions, worst requests and model comparisons, all exact counts. */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly repository: EvaluationsRepository,
    private readonly definitions: ScoreDefinitionsService,
    private readonly usage: UsageService,
  ) {}

  async hallucinationRate(from: Date, to: Date, groupBy: HallucinationDimension[], filter: EvaluationFilter = {}, teams: TeamScope = null): Promise<HallucinationRateRowModel[]> {
    const scope = scopeOf(from, to, filter, teams);
    const dimensions = [...new Set(groupBy)];
    if (!dimensions.includes(HallucinationDimension.EVALUATOR)) {
      const records = await this.repository.hallucinationCounts(scope, dimensions);
      return records.map((record) => toRateRow(record, Number(record.requests ?? 0)));
    }
    // Per evaluator, `requests` is every request of the row's other dimensions: read once without EVALUATOR.
    const requestDimensions = dimensions.filter((dimension) => dimension !== HallucinationDimension.EVALUATOR);
    const [judged, totals] = await Promise.all([
      this.repository.hallucinationCounts(scope, dimensions),
      this.repository.hallucinationCounts({ ...scope, evaluator: undefined, name: undefined }, requestDimensions),
    ]);
    const requestsByGroup = new Map(totals.map((record) => [groupKey(record), Number(record.requests ?? 0)]));
    return judged.map((record) => toRateRow(record, requestsByGroup.get(groupKey(record)) ?? 0));
  }

  async scoreDistributions(from: Date, to: Date, buckets: number, filter: EvaluationFilter = {}, teams: TeamScope = null): Promise<ScoreDistributionModel[]> {
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > maxBuckets) {
      throw new DomainError(ErrorCode.Validation, `buckets must be a whole number from 1 to ${maxBuckets}`);
    }
    const scope = scopeOf(from, to, filter, teams);
    const statistics = await this.repository.scoreStatistics(scope);
    if (statistics.length === 0) return [];
    const definitions = await this.definitions.definitionsFor(statistics.map((record) => record.name));
    // Numeric buckets span the definition's range where it has one, else the values seen.
    const numeric: NumericBuckets = { names: [], lows: [], spans: [], buckets };
    const bounds = new Map<string, { low: number; width: number }>();
    for (const record of statistics) {
      if (record.data_type !== 'numeric' || record.minimum === null || record.maximum === null) continue;
      const definition = definitions.get(record.name);
      const low = definition?.minimum ?? record.minimum;
      const high = definition?.maximum ?? record.maximum;
      const span = high > low ? high - low : 1;
      numeric.names.push(record.name);
      numeric.lows.push(low);
      numeric.spans.push(span);
      bounds.set(record.name, { low, width: span / buckets });
    }
    const records = await this.repository.scoreBuckets(scope, numeric);
    return statistics.map((record) => {
      const definition = definitions.get(record.name);
      const range = bounds.get(record.name);
      const counted = records.filter((bucket) => bucket.name === record.name);
      const distribution: ScoreDistributionModel = {
        name: record.name,
        dataType: record.data_type,
        direction: definition?.direction ?? null,
        threshold: definition?.threshold ?? null,
        scores: Number(record.scores),
        buckets: [],
      };
      if (range) {
        // Every bucket is listed, empty ones too, so a chart's axis is the same whatever the data.
        distribution.buckets = Array.from({ length: buckets }, (_unused, index) => {
          const found = counted.find((bucket) => Number(bucket.bucket) === index);
          return {
            lower: range.low + index * range.width,
            upper: range.low + (index + 1) * range.width,
            label: '',
            count: Number(found?.scores ?? 0),
            hallucinated: Number(found?.hallucinated ?? 0),
          };
        });
      } else {
        distribution.buckets = counted
          .filter((bucket) => Number(bucket.bucket) === -1)
          .map((bucket) => ({ lower: null, upper: null, label: bucket.category, count: Number(bucket.scores), hallucinated: Number(bucket.hallucinated) }));
      }
      return distribution;
    });
  }

  async worstScoredRequests(from: Date, to: Date, name: string, limit: number, filter: EvaluationFilter = {}, teams: TeamScope = null): Promise<ScoredRequestModel[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > maxWorstRequests) {
      throw new DomainError(ErrorCode.Validation, `limit must be a whole number from 1 to ${maxWorstRequests}`);
    }
    const definition = (await this.definitions.definitionsFor([name])).get(name);
    // Worst is the bad end of the definition's direction; with none, the lowest values come first.
    const ordering = definition?.direction === 'lower_is_better' ? 'highestFirst' : 'lowestFirst';
    const records = await this.repository.worstScoredRequests({ ...scopeOf(from, to, filter, teams), name }, ordering, limit);
    return records.map(toScoredRequest);
  }

  async compareModels(from: Date, to: Date, models: string[], evaluator: string, filter: EvaluationFilter = {}, teams: TeamScope = null): Promise<ModelComparisonModel> {
    const asked = [...new Set(models)];
    if (asked.length < 2 || asked.length > maxComparedModels) {
      throw new DomainError(ErrorCode.Validation, `models must name 2 to ${maxComparedModels} different models`);
    }
    if (!evaluator) throw new DomainError(ErrorCode.Validation, 'evaluator is required');
    const scope: EvaluationScope = { ...scopeOf(from, to, filter, teams), model: undefined, models: asked, evaluator };
    const [counts, totals, means] = await Promise.all([
      this.repository.hallucinationCounts(scope, [HallucinationDimension.MODEL]),
      this.repository.hallucinationCounts({ ...scope, evaluator: undefined, name: undefined }, [HallucinationDimension.MODEL]),
      this.repository.meanValueByModel(scope),
    ]);
    const rows: ModelComparisonRowModel[] = asked.map((model) => {
      const record = counts.find((candidate) => candidate.model === model);
      const requests = Number(totals.find((candidate) => candidate.model === model)?.requests ?? 0);
      const row = toRateRow({ scored_requests: record?.scored_requests ?? '0', hallucinated_requests: record?.hallucinated_requests ?? '0' }, requests);
      const interval = wilsonInterval(row.hallucinated, row.scored);
      const mean = means.find((candidate) => candidate.model === model)?.mean_value;
      return {
        model,
        requests,
        scored: row.scored,
        hallucinated: row.hallucinated,
        rate: row.rate,
        rateLow: interval?.low ?? null,
        rateHigh: interval?.high ?? null,
        meanValue: mean === undefined || mean === null || !Number.isFinite(mean) ? null : mean,
      };
    });
    const [first, second] = rows;
    return {
      evaluator,
      rows,
      rateDifference: asked.length === 2 && first.rate !== null && second.rate !== null ? first.rate - second.rate : null,
      pValue: asked.length === 2 ? twoProportionPValue(first.hallucinated, first.scored, second.hallucinated, second.scored) : null,
    };
  }

  /** The scored request itself, with its content only when the viewer's role may read it. */
  scoredRequest(row: ScoredRequestModel, viewer: Role | undefined): Promise<RequestModel> {
    return this.usage.getRequest(row.requestId, viewer, row.team);
  }
}

function scopeOf(from: Date, to: Date, filter: EvaluationFilter, teams: TeamScope = null): EvaluationScope {
  if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
  if (to.getTime() - from.getTime() > maxRangeDays * dayMilliseconds) {
    throw new DomainError(ErrorCode.Validation, `The range may span at most ${maxRangeDays} days`);
  }
  return {
    from,
    to,
    team: filter.team || undefined,
    model: filter.model || undefined,
    node: filter.node || undefined,
    provider: filter.provider || undefined,
    evaluator: filter.evaluator || undefined,
    name: filter.name || undefined,
    teams,
  };
}

function groupKey(record: HallucinationCountRecord): string {
  return JSON.stringify([record.team ?? null, record.model ?? null, record.node ?? null, record.day ?? null]);
}

function toRateRow(record: HallucinationCountRecord, requests: number): HallucinationRateRowModel {
  const scored = Number(record.scored_requests);
  const hallucinated = Number(record.hallucinated_requests);
  return {
    team: record.team ?? null,
    model: record.model ?? null,
    node: record.node ?? null,
    day: record.day ? dateFromClickhouseTime(record.day) : null,
    evaluator: record.evaluator ?? null,
    requests,
    scored,
    hallucinated,
    rate: scored > 0 ? hallucinated / scored : null,
  };
}

function toScoredRequest(record: ScoredRequestRecord): ScoredRequestModel {
  return {
    requestId: record.request_id,
    team: record.team,
    model: record.model,
    node: record.node,
    timestamp: dateFromClickhouseTime(record.timestamp),
    scoreId: record.score_id,
    name: record.name,
    evaluator: record.evaluator,
    value: record.numeric_value,
    booleanValue: record.boolean_value === null ? null : record.boolean_value === 1,
    label: record.label,
    hallucinated: record.hallucinated === null ? null : record.hallucinated === 1,
    comment: record.comment,
    scoredAt: dateFromClickhouseTime(record.scored_at),
  };
}
