import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { nanoUsdFromDecimal } from '../../engine/money/exact-decimal';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { ParsedItem } from '../../engine/http/request-body';
import { DecisionService } from '../policies/decision.service';
import type { EffectivePolicy } from '../policies/decisions/decision-answers';
import { stricterAction } from '../policies/pii';
import { PricingService } from '../pricing/pricing.service';
import type { FieldProblem, RequestEvent } from './dto/request-event';
import { validateRequestEvent } from './dto/validate-request-event';
import { IngestAnswerBuilder, type IngestAnswer } from './ingest-answer';
import { IngestRepository } from './ingest.repository';
import { requestKey, type RequestRow } from './request-row';

export type { IngestAnswer, ItemResult, ItemStatus } from './ingest-answer';

/** Who sent a batch: stamped on every row it stores. */
export interface IngestSender {
  apiKeyId: string;
  /**
   * The team of a team key: stamped on every event it sends, and an event naming another team is refused (a key
   * cannot write another team's events). Absent for an org-level key, whose events name their team.
   */
  team?: string | null;
  /** How the events reached Warden: api (this endpoint), otlp, gateway. */
  source?: string;
}

/** A request event with the OpenTelemetry identity of its span, where it came as one (empty or absent otherwise). */
export type SpanRequestEvent = RequestEvent & {
  traceId?: string;
  spanId?: string;
  responseId?: string;
  /** The gateway's: the policy decision that admitted the request, and where its node runs. */
  decisionId?: string;
  location?: string;
};

const hourMilliseconds = 3600_000;
/** Items checked between two yields to the event loop (about a millisecond of work). */
const itemsPerSlice = 500;
const dayMilliseconds = 24 * hourMilliseconds;

@Injectable()
export class IngestService {
  private readonly eventsCounter: Counter<'status'>;

  constructor(
    private readonly repository: IngestRepository,
    private readonly pricing: PricingService,
    private readonly policies: DecisionService,
    @Inject(CONFIG) private readonly config: WardenConfig,
    registry: Registry,
  ) {
    this.eventsCounter = new Counter({
      name: 'warden_ingest_events_total',
      help: 'Request-log events received, by outcome',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  /** Validates every item, prices the good ones, and answers only after they are stored. */
  async ingestRequests(items: ParsedItem[], sender: IngestSender = { apiKeyId: '' }, receivedAt = new Date()): Promise<IngestAnswer> {
    const answer = new IngestAnswerBuilder(items.length);
    const admitted: Array<{ index: number; event: RequestEvent }> = [];
    for (let index = 0; index < items.length; index += 1) {
      // A large body is checked in slices, so other callers' requests (and /healthz) are served in between.
      if (index > 0 && index % itemsPerSlice === 0) await new Promise((resolve) => setImmediate(resolve));
      const item = items[index];
      if ('parseError' in item) {
        answer.rejected(index, undefined, [{ field: '(line)', message: item.parseError }]);
        continue;
      }
      const validated = validateRequestEvent(item.value, receivedAt.getTime());
      const teamProblem = sender.team ? teamKeyProblem(item.value, sender.team) : null;
      if ('problems' in validated || teamProblem) {
        const id = (item.value as { id?: unknown } | null)?.id;
        const problems = [...('problems' in validated ? validated.problems : []), ...(teamProblem ? [teamProblem] : [])];
        answer.rejected(index, typeof id === 'string' ? id.slice(0, 128) : undefined, problems);
        continue;
      }
      admitted.push({ index, event: sender.team ? { ...validated.event, team: sender.team } : validated.event });
    }
    return this.store(admitted, answer, sender, receivedAt);
  }

  /**
   * Events validated elsewhere (GenAI spans from OTLP, source `otlp`, their team already decided from the key or the
   * resource), stored as ingestRequests stores its items and answered by their index. Their span identity is kept so
   * that scores sent by trace + span or by response id find them.
   */
  ingestEvents(events: SpanRequestEvent[], sender: IngestSender, receivedAt = new Date()): Promise<IngestAnswer> {
    return this.store(
      events.map((event, index) => ({ index, event })),
      new IngestAnswerBuilder(events.length),
      sender,
      receivedAt,
    );
  }

  private async store(admitted: Array<{ index: number; event: SpanRequestEvent }>, answer: IngestAnswerBuilder, sender: IngestSender, receivedAt: Date): Promise<IngestAnswer> {
    const rows: RequestRow[] = [];
    const rowIndexes: number[] = [];
    const ingestedAt = clickhouseTime(receivedAt);
    // A key repeated inside one request: the first is written, the rest are answered as duplicates here, so the
    // writer's duplicate keys only ever name keys stored earlier or sent by another request.
    const keysInRequest = new Set<string>();
    // The policy of each team in the batch, asked once per team (the decision service caches it across batches).
    const policyOfTeam = new Map<string, EffectivePolicy>();
    for (let position = 0; position < admitted.length; position += 1) {
      // Priced and masked in slices too: the gateway hands over a second of requests at a time.
      if (position > 0 && position % itemsPerSlice === 0) await new Promise((resolve) => setImmediate(resolve));
      const { index, event } = admitted[position];
      let policy = policyOfTeam.get(event.team);
      if (!policy) {
        policy = await this.policies.resolvePolicy(event.team, sender.apiKeyId || undefined);
        policyOfTeam.set(event.team, policy);
      }
      const retentionDays = policy.retention.requestsDays ?? this.config.retentionDays;
      // The table's TTL deletes such a row as it is written: refuse it by name rather than answer "accepted".
      if (event.timestamp.getTime() + retentionDays * dayMilliseconds < receivedAt.getTime() + hourMilliseconds) {
        answer.rejected(index, event.id, [
          { field: 'timestamp', message: `is older than the ${retentionDays}-day retention: it would be deleted on arrival` },
        ]);
        continue;
      }
      const key = requestKey(event.team, event.id);
      if (keysInRequest.has(key)) {
        answer.duplicate(index, event.id);
        continue;
      }
      keysInRequest.add(key);
      rows.push(this.toRow(event, ingestedAt, sender, policy, retentionDays));
      rowIndexes.push(index);
    }
    const outcome = await this.repository.writeRequests(rows);
    // Counted among the rows stored now: a re-sent unpriced event is a duplicate, not a second unpriced one.
    let unpriced = 0;
    rows.forEach((row, position) => {
      const index = rowIndexes[position];
      const refusal = outcome.refusedRows.get(position);
      if (refusal !== undefined) answer.rejected(index, row.id, [{ field: '(event)', message: refusal }]);
      else if (outcome.duplicateKeys.has(requestKey(row.team, row.id))) answer.duplicate(index, row.id);
      else {
        if (row.cost_nano_usd === null) unpriced += 1;
        answer.accepted(index, row.id);
      }
    });
    const result = answer.finish(unpriced);
    this.eventsCounter.inc({ status: 'accepted' }, result.accepted);
    this.eventsCounter.inc({ status: 'duplicate' }, result.duplicates);
    this.eventsCounter.inc({ status: 'rejected' }, result.rejected);
    return result;
  }

  private toRow(event: SpanRequestEvent, ingestedAt: string, sender: IngestSender, policy: EffectivePolicy, retentionDays: number): RequestRow {
    const content = this.protectContent(event.prompt, event.completion, policy);
    const cost = this.pricing.priceRequest(
      event.model,
      event.provider,
      event.timestamp,
      event,
      event.costUsd === null ? null : nanoUsdFromDecimal(event.costUsd),
    );
    return {
      id: event.id,
      timestamp: clickhouseTime(event.timestamp),
      team: event.team,
      user: event.user,
      provider: event.provider,
      node: event.node,
      model: event.model,
      operation: event.operation,
      input_tokens: event.inputTokens,
      output_tokens: event.outputTokens,
      cached_input_tokens: event.cachedInputTokens,
      latency_ms: event.latencyMs,
      ttft_ms: event.ttftMs,
      status: event.status,
      error_type: event.errorType,
      cost_nano_usd: cost.costNanoUsd === null ? null : cost.costNanoUsd.toString(),
      cost_source: cost.source,
      prompt: content.prompt,
      completion: content.completion,
      metadata: event.metadata,
      retention_days: retentionDays,
      ingested_at: ingestedAt,
      is_revision: 0,
      previous_cost_nano_usd: null,
      api_key_id: sender.apiKeyId,
      source: sender.source ?? 'api',
      trace_id: event.traceId ?? '',
      span_id: event.spanId ?? '',
      response_id: event.responseId ?? '',
      decision_id: event.decisionId ?? '',
      location: event.location ?? '',
      pii_findings: content.findings,
      pii_action: content.action,
      content_retention_days: policy.retention.contentDays ?? 0,
    };
  }

  /**
   * Personal data in content, handled per the team's policy before anything is stored: masked or hashed where the
   * policy says so, and when a detector is set to block, neither text is kept (the request itself — tokens, cost,
   * who, which model — is still counted). The row records how many findings each detector made, never the values.
   */
  private protectContent(prompt: string, completion: string, policy: EffectivePolicy): { prompt: string; completion: string; findings: Record<string, number>; action: string } {
    if (Object.keys(policy.piiActions).length === 0 || (prompt === '' && completion === '')) return { prompt, completion, findings: {}, action: '' };
    const redactedPrompt = this.policies.redactText(prompt, policy.piiActions);
    const redactedCompletion = this.policies.redactText(completion, policy.piiActions);
    const findings: Record<string, number> = {};
    for (const counts of [redactedPrompt.counts, redactedCompletion.counts]) {
      for (const [detector, count] of Object.entries(counts)) findings[detector] = (findings[detector] ?? 0) + (count ?? 0);
    }
    if (redactedPrompt.blocked || redactedCompletion.blocked) return { prompt: '', completion: '', findings, action: 'block' };
    const action = stricterAction(redactedPrompt.action, redactedCompletion.action);
    return { prompt: redactedPrompt.text, completion: redactedCompletion.text, findings, action: action === 'allow' ? '' : action };
  }
}

/** An event sent with a team key may leave `team` out or name the key's own team, nothing else. */
function teamKeyProblem(value: unknown, keyTeam: string): FieldProblem | null {
  const team = (value as { team?: unknown } | null)?.team;
  if (team === undefined || team === null || team === '' || team === keyTeam) return null;
  return { field: 'team', message: `this API key belongs to team "${keyTeam}" and cannot send events for another team` };
}
