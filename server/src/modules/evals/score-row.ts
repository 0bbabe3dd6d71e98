import { teamIdKey } from '../../engine/clickhouse/team-id-keys';

/** A row of ClickHouse `scores` as written (JSONCompactEachRow in `scoreColumns` order). */
export interface ScoreRow {
  team: string;
  id: string;
  request_id: string;
  trace_id: string;
  span_id: string;
  response_id: string;
  refs: string[];
  name: string;
  data_type: string;
  numeric_value: number | null;
  boolean_value: number | null;
  label: string;
  source: string;
  evaluator: string;
  comment: string;
  timestamp: string;
  /** 1 hallucinated, 0 not, null unknown (the definition says nothing about hallucination). */
  hallucinated: number | null;
  api_key_id: string;
  retention_days: number;
  ingested_at: string;
}

export const scoreColumns: [keyof ScoreRow, ...Array<keyof ScoreRow>] = [
  'team', 'id', 'request_id', 'trace_id', 'span_id', 'response_id', 'refs', 'name', 'data_type', 'numeric_value',
  'boolean_value', 'label', 'source', 'evaluator', 'comment', 'timestamp', 'hallucinated', 'api_key_id',
  'retention_days', 'ingested_at',
];

/** One row as a JSONCompactEachRow line, field by field. */
export function serializeScoreRow(row: ScoreRow): string {
  const text = JSON.stringify;
  return (
    `[${text(row.team)},${text(row.id)},${text(row.request_id)},${text(row.trace_id)},${text(row.span_id)},` +
    `${text(row.response_id)},${text(row.refs)},${text(row.name)},${text(row.data_type)},` +
    `${row.numeric_value === null ? 'null' : text(row.numeric_value)},${row.boolean_value === null ? 'null' : row.boolean_value},` +
    `${text(row.label)},${text(row.source)},${text(row.evaluator)},${text(row.comment)},${text(row.timestamp)},` +
    `${row.hallucinated === null ? 'null' : row.hallucinated},${text(row.api_key_id)},${row.retention_days},${text(row.ingested_at)}]`
  );
}

/** The identity of a score: ids are unique per team, like request ids. */
export function scoreKey(team: string, id: string): string {
  return teamIdKey(team, id);
}
