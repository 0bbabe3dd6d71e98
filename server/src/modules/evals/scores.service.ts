import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import type { ParsedItem } from '../../engine/http/request-body';
import type { FieldProblem } from '../../engine/validation/field-problems';
import { IngestAnswerBuilder, type IngestAnswer } from '../ingest/ingest-answer';
import type { Score } from './dto/score';
import { validateScore } from './dto/validate-score';
import { ScoreDefinitionsService, validationError } from './score-definitions.service';
import { scoreReferences } from './score-references';
import { scoreKey, type ScoreRow } from './score-row';
import { ScoresRepository } from './scores.repository';
import { applyScoreDefinition, type AppliedScoreDefinition } from './scoring/apply-score-definition';
import type { ScoreDefinition } from './scoring/score-definition';

/** Who sent scores: stamped on every row, and the key's team decides the team of its scores. */
export interface ScoreSender {
  apiKeyId: string;
  /** The team of a team key; null or absent for an organisation-level key (then each score names its team). */
  keyTeam?: string | null;
}

/** The per-item answer of request ingest, without the request-only `unpriced` count. */
export type ScoreIngestAnswer = Omit<IngestAnswer, 'unpriced'>;

export interface ScoreReceipt {
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  team: string;
  name: string;
  hallucinated: boolean | null;
  value: number | null;
  booleanValue: boolean | null;
  label: string;
}

/** What became of the scores handed in, by their index, with the rows written for the accepted ones. */
export interface StoredScores {
  answer: ScoreIngestAnswer;
  rows: Map<number, ScoreRow>;
}

const dayMilliseconds = 24 * 3600_000;

/**
 * Score ingest: validate, look up each name's definition (refused when none, unless auto-definition is on), check
 * the value against it, derive the hallucinated flag, and answer once the rows are stored, exactly once per
 * (team, id).
 */
@Injectable()
export class ScoresService {
  private readonly scoresCounter: Counter<'status'>;

  constructor(
    private readonly repository: ScoresRepository,
    private readonly definitions: ScoreDefinitionsService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    registry: Registry,
  ) {
    this.scoresCounter = new Counter({
      name: 'warden_ingest_scores_total',
      help: 'Evaluation scores received, by outcome',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  /** Scores as parsed from a request body (`POST /api/v1/ingest/scores`). */
  async ingestScores(items: ParsedItem[], sender: ScoreSender, receivedAt = new Date()): Promise<ScoreIngestAnswer> {
    const answer = new IngestAnswerBuilder(items.length);
    const entries: Array<{ index: number; score: Score }> = [];
    items.forEach((item, index) => {
      if ('parseError' in item) {
        answer.rejected(index, undefined, [{ field: '(line)', message: item.parseError }]);
        return;
      }
      const validated = validateScore(item.value, { now: receivedAt.getTime(), keyTeam: sender.keyTeam ?? null });
      if ('problems' in validated) {
        const id = (item.value as { id?: unknown } | null)?.id;
        answer.rejected(index, typeof id === 'string' ? id.slice(0, 128) : undefined, validated.problems);
        return;
      }
      entries.push({ index, score: validated.score });
    });
    return (await this.store(entries, answer, sender, receivedAt)).answer;
  }

  /** Scores already validated (from OTLP evaluation events, or the createScore mutation), answered by index. */
  async storeScores(scores: Score[], sender: ScoreSender, receivedAt = new Date()): Promise<StoredScores> {
    return this.store(
      scores.map((score, index) => ({ index, score })),
      new IngestAnswerBuilder(scores.length),
      sender,
      receivedAt,
    );
  }

  /** One score from the createScore mutation: refused with every problem named, or stored (or found stored). */
  async createScore(submitted: Record<string, unknown>, sender: ScoreSender, receivedAt = new Date()): Promise<ScoreReceipt> {
    const validated = validateScore(submitted, { now: receivedAt.getTime(), keyTeam: sender.keyTeam ?? null });
    if ('problems' in validated) throw validationError(validated.problems);
    const { score } = validated;
    const { answer, rows } = await this.storeScores([score], sender, receivedAt);
    const [result] = answer.results;
    if (result.status === 'rejected') throw validationError(result.errors ?? []);
    const row = rows.get(0);
    return {
      id: score.id,
      status: result.status,
      team: score.team,
      name: score.name,
      hallucinated: row && row.hallucinated !== null ? row.hallucinated === 1 : null,
      value: typeof score.value === 'number' ? score.value : null,
      booleanValue: row && row.boolean_value !== null ? row.boolean_value === 1 : null,
      label: row?.label ?? score.label,
    };
  }

  private async store(
    entries: Array<{ index: number; score: Score }>,
    answer: IngestAnswerBuilder,
    sender: ScoreSender,
    receivedAt: Date,
  ): Promise<StoredScores> {
    const definitions = entries.length > 0 ? await this.definitions.definitionsFor(entries.map((entry) => entry.score.name)) : new Map<string, ScoreDefinition>();
    const ingestedAt = clickhouseTime(receivedAt);
    const rows: ScoreRow[] = [];
    const rowIndexes: number[] = [];
    const keysInRequest = new Set<string>();
    for (const { index, score } of entries) {
      // The table's TTL would delete such a row as it is written: refused by name rather than answered "accepted".
      if (score.timestamp.getTime() + this.config.retentionDays * dayMilliseconds < receivedAt.getTime() + 3600_000) {
        answer.rejected(index, score.id, [{ field: 'timestamp', message: `is older than the ${this.config.retentionDays}-day retention: it would be deleted on arrival` }]);
        continue;
      }
      const applied = await this.applyDefinition(score, definitions);
      if ('problems' in applied) {
        answer.rejected(index, score.id, applied.problems);
        continue;
      }
      const key = scoreKey(score.team, score.id);
      if (keysInRequest.has(key)) {
        answer.duplicate(index, score.id);
        continue;
      }
      keysInRequest.add(key);
      rows.push(toScoreRow(score, applied, sender.apiKeyId, this.config.retentionDays, ingestedAt));
      rowIndexes.push(index);
    }
    const outcome = await this.repository.writeScores(rows);
    const written = new Map<number, ScoreRow>();
    rows.forEach((row, position) => {
      const index = rowIndexes[position];
      const refusal = outcome.refusedRows.get(position);
      if (refusal !== undefined) answer.rejected(index, row.id, [{ field: '(score)', message: refusal }]);
      else if (outcome.duplicateKeys.has(scoreKey(row.team, row.id))) answer.duplicate(index, row.id);
      else {
        answer.accepted(index, row.id);
        written.set(index, row);
      }
    });
    const { unpriced: _unpriced, ...result } = answer.finish(0);
    this.scoresCounter.inc({ status: 'accepted' }, result.accepted);
    this.scoresCounter.inc({ status: 'duplicate' }, result.duplicates);
    this.scoresCounter.inc({ status: 'rejected' }, result.rejected);
    return { answer: result, rows: written };
  }

  /**
   * The score checked against its name's definition. A name nobody defined is refused, or with auto-definition on,
   * defined from this value and stored; the score is then checked against whatever definition holds once stored
   * (another server may have defined the name first, from a value of another type).
   */
  private async applyDefinition(score: Score, definitions: Map<string, ScoreDefinition>): Promise<AppliedScoreDefinition | { problems: FieldProblem[] }> {
    const applied = applyScoreDefinition(score, definitions.get(score.name), { autoDefine: this.config.scores.autoDefine });
    if ('problems' in applied || !applied.definedNow) return applied;
    const stored = await this.definitions.defineAutomatically(applied.definition);
    definitions.set(stored.name, stored);
    return applyScoreDefinition(score, stored, { autoDefine: false });
  }
}

function toScoreRow(score: Score, applied: AppliedScoreDefinition, apiKeyId: string, retentionDays: number, ingestedAt: string): ScoreRow {
  const { value } = applied;
  return {
    team: score.team,
    id: score.id,
    request_id: score.requestId,
    trace_id: score.traceId,
    span_id: score.spanId,
    response_id: score.responseId,
    refs: scoreReferences(score),
    name: score.name,
    data_type: applied.definition.dataType,
    // The number as sent, also for a categorical score that came with one beside its label.
    numeric_value: typeof score.value === 'number' ? score.value : null,
    boolean_value: typeof value === 'boolean' ? Number(value) : null,
    label: typeof value === 'string' ? value : score.label,
    source: score.source,
    evaluator: score.evaluator,
    comment: score.comment,
    timestamp: clickhouseTime(score.timestamp),
    hallucinated: applied.hallucinated === null ? null : Number(applied.hallucinated),
    api_key_id: apiKeyId,
    retention_days: retentionDays,
    ingested_at: ingestedAt,
  };
}
