/**
 * How a score finds its request. A score names its request by id, by OpenTelemetry trace + span id, or by the
 * provider's response id (`gen_ai.response.id`); a request carries all it has of the same. Both sides are written as
 * the same reference texts, and a score belongs to the request of its team that shares any reference with it. The
 * join happens when analytics read, so a score that arrives before its request is joined once the request is stored.
 */
export interface ScoreReferenceFields {
  requestId: string;
  traceId: string;
  spanId: string;
  responseId: string;
}

/** A score's reference texts, stored with it (`scores.refs`). */
export function scoreReferences(fields: ScoreReferenceFields): string[] {
  const references: string[] = [];
  if (fields.requestId) references.push(`id:${fields.requestId}`);
  if (fields.traceId && fields.spanId) references.push(`span:${fields.traceId}${fields.spanId}`);
  if (fields.responseId) references.push(`response:${fields.responseId}`);
  return references;
}

/** The same texts built from a row of `requests` in ClickHouse (kept beside scoreReferences so both change together). */
export const requestReferencesSql =
  "arrayFilter(reference -> reference != '', [concat('id:', id), " +
  "if(trace_id != '' AND span_id != '', concat('span:', trace_id, span_id), ''), " +
  "if(response_id != '', concat('response:', response_id), '')])";
