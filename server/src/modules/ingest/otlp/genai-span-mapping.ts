import type { FieldProblem } from '../../../engine/validation/field-problems';
import { validateRequestEvent } from '../dto/validate-request-event';
import { extractSpanContent } from './genai-span-content';
import { readNumber, readString, readStringList } from './otlp-attribute-values';
import type { OtlpRequestEvent } from './otlp-request-event';
import { statusCodeError, type OtlpAttributes, type OtlpSpan } from './otlp-trace-request';

/** What became of one span. */
export type GenAiSpanMapping =
  | { outcome: 'request'; event: OtlpRequestEvent }
  | { outcome: 'rejected'; problems: FieldProblem[] }
  /** No GenAI attributes: an HTTP, database or workflow span. */
  | { outcome: 'not_genai' }
  /** A GenAI span that is not a model call (a tool, an agent, a retrieval): its calls have spans of their own. */
  | { outcome: 'not_model_call'; operation: string };

export interface GenAiSpanContext {
  resourceAttributes: OtlpAttributes;
  scopeName: string;
  /** The team already decided for the span's resource (see resolveOtlpTeam). */
  team: string;
  /** The clock the request-event rules are measured from. */
  now: number;
}

// Any of these marks a span as GenAI; `llm.request.type` is OpenLLMetry's name from before gen_ai.operation.name.
const genAiMarkers = ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model', 'gen_ai.response.model', 'llm.request.type'];
const operationByName = new Map<string, OtlpRequestEvent['operation']>([
  ['chat', 'chat'],
  ['generate_content', 'chat'],
  ['text_completion', 'completion'],
  ['completion', 'completion'],
  ['embeddings', 'embedding'],
  ['embedding', 'embedding'],
]);
const notModelCalls = new Set(['create_agent', 'invoke_agent', 'execute_tool', 'invoke_workflow', 'retrieval']);
// Time to first token, in seconds: the semantic conventions' attribute, vLLM's and SGLang's, and two older spellings.
const timeToFirstTokenKeys = ['gen_ai.response.time_to_first_chunk', 'gen_ai.latency.time_to_first_token', 'gen_ai.server.time_to_first_token', 'gen_ai.server.ttft'];
// Events some instrumentations add per streamed chunk: the first one marks the first token.
const firstChunkEvents = new Set(['gen_ai.content.completion.chunk', 'llm.content.completion.chunk', 'gen_ai.first_token', 'first_token']);
const maxMetadataValueLength = 4096;
const traceIdPattern = /^[0-9a-f]{32}$/;
const spanIdPattern = /^[0-9a-f]{16}$/;
// Copied into the event's metadata when present: what a reviewer needs to find the call again.
const metadataKeys = [
  'gen_ai.conversation.id', 'gen_ai.agent.name', 'gen_ai.agent.id', 'gen_ai.request.id', 'gen_ai.output.type', 'gen_ai.prompt.name',
  'gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens', 'gen_ai.usage.cache_creation.input_tokens', 'server.address', 'server.port',
  'traceloop.workflow.name', 'traceloop.entity.name',
];

/**
 * Maps one span to a request event (the ingest contract's fields), reading both the current OpenTelemetry GenAI
 * attribute names and the older ones (`gen_ai.system`, `gen_ai.usage.prompt_tokens`, `completion_tokens`, …). The
 * event goes through the same validation as `POST /api/v1/ingest/requests`; a span it refuses comes back with the
 * problems, each naming the span attribute where there is one.
 */
export function mapGenAiSpan(span: OtlpSpan, context: GenAiSpanContext): GenAiSpanMapping {
  const { attributes } = span;
  if (!isGenAiSpan(span)) return { outcome: 'not_genai' };
  const operationName = readString(attributes, 'gen_ai.operation.name', 'llm.request.type').toLowerCase();
  if (notModelCalls.has(operationName)) return { outcome: 'not_model_call', operation: operationName };

  const problems: FieldProblem[] = [];
  if (!traceIdPattern.test(span.traceId) || /^0+$/.test(span.traceId)) problems.push({ field: 'traceId', message: 'must be 32 hex digits, not all zero' });
  if (!spanIdPattern.test(span.spanId) || /^0+$/.test(span.spanId)) problems.push({ field: 'spanId', message: 'must be 16 hex digits, not all zero' });
  if (span.startTimeUnixNano === 0n) problems.push({ field: 'startTimeUnixNano', message: 'is required' });
  if (span.endTimeUnixNano < span.startTimeUnixNano) problems.push({ field: 'endTimeUnixNano', message: 'is before startTimeUnixNano' });

  const tokens = readTokens(attributes, problems);
  const requestModel = readString(attributes, 'gen_ai.request.model');
  const responseModel = readString(attributes, 'gen_ai.response.model');
  const responseId = readString(attributes, 'gen_ai.response.id');
  const failed = span.statusCode === statusCodeError;
  const { prompt, completion } = extractSpanContent(span);

  const metadata: Record<string, string> = {};
  // The ingest rules take metadata values of at most 4,096 characters: a longer span attribute is cut, not refused.
  const put = (key: string, value: string): void => {
    metadata[key] = value.length > maxMetadataValueLength ? value.slice(0, maxMetadataValueLength) : value;
  };
  put('otel.span.name', span.name);
  if (context.scopeName) put('otel.scope.name', context.scopeName);
  if (span.parentSpanId) put('otel.parent_span_id', span.parentSpanId);
  const serviceName = readString(context.resourceAttributes, 'service.name');
  if (serviceName) put('service.name', serviceName);
  if (requestModel && responseModel && responseModel !== requestModel) put('gen_ai.response.model', responseModel);
  if (operationName && !operationByName.has(operationName)) put('gen_ai.operation.name', operationName);
  const finishReasons = readStringList(attributes, 'gen_ai.response.finish_reasons');
  if (finishReasons.length > 0) put('gen_ai.response.finish_reasons', finishReasons.join(','));
  for (const key of metadataKeys) {
    const value = readString(attributes, key);
    if (value) put(key, value);
  }
  if (tokens.cacheAdded) put('warden.input_tokens_note', 'cache tokens added: the sender counted them apart from input tokens');

  const startMs = Number(span.startTimeUnixNano / 1_000_000n);
  const wireEvent = {
    id: `otlp-${span.traceId}-${span.spanId}`,
    timestamp: new Date(startMs).toISOString(),
    team: context.team,
    user: readString(attributes, 'user.id', 'enduser.id') || readString(context.resourceAttributes, 'user.id', 'enduser.id'),
    provider: readString(attributes, 'gen_ai.provider.name', 'gen_ai.system'),
    node: readString(attributes, 'warden.node') || readString(context.resourceAttributes, 'warden.node'),
    // The model asked for names the price and the policy; the dated model that answered is kept in metadata.
    model: requestModel || responseModel,
    operation: operationByName.get(operationName) ?? 'chat',
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cachedInputTokens: tokens.cached,
    latencyMs: span.endTimeUnixNano >= span.startTimeUnixNano ? Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6 : 0,
    ttftMs: readTimeToFirstToken(span),
    status: failed ? 'error' : 'ok',
    errorType: failed ? readErrorType(span) : '',
    prompt,
    completion,
    metadata,
  };
  const checked = validateRequestEvent(wireEvent, context.now);
  if ('problems' in checked || problems.length > 0) {
    // Span-level problems and the ingest rules' problems are named together, so one answer says everything.
    return { outcome: 'rejected', problems: [...problems, ...('problems' in checked ? checked.problems.map(withSpanField) : [])] };
  }
  // Set on the fresh event rather than spread into a copy: a spread with added keys costs microseconds a span.
  const event = checked.event as OtlpRequestEvent;
  event.traceId = span.traceId;
  event.spanId = span.spanId;
  event.responseId = responseId;
  return { outcome: 'request', event };
}

/** Whether a span is GenAI at all (for counting without mapping). */
export function isGenAiSpan(span: OtlpSpan): boolean {
  for (const key of genAiMarkers) if (span.attributes.has(key)) return true;
  return false;
}

interface Tokens {
  input: number;
  output: number;
  cached: number;
  cacheAdded: boolean;
}

function readTokens(attributes: OtlpAttributes, problems: FieldProblem[]): Tokens {
  const count = (...keys: string[]): number => {
    const value = readNumber(attributes, ...keys);
    if (value === null) return 0;
    if (!Number.isInteger(value) || value < 0) {
      problems.push({ field: keys[0], message: 'must be a whole number of tokens, 0 or more' });
      return 0;
    }
    return value;
  };
  let input = count('gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens');
  const output = count('gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens');
  // The semantic conventions' name, OpenLLMetry's older one, and SGLang's.
  const cached = count('gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.cached_tokens');
  const cacheCreation = count('gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens');
  // The conventions count cached tokens inside input_tokens (as OpenAI does); some senders follow Anthropic's usage,
  // where input_tokens leaves out cache reads and writes. More cached than input can only mean the latter.
  let cacheAdded = false;
  if (cached > input) {
    input += cached + cacheCreation;
    cacheAdded = true;
  }
  return { input, output, cached, cacheAdded };
}

function readTimeToFirstToken(span: OtlpSpan): number | null {
  const seconds = readNumber(span.attributes, ...timeToFirstTokenKeys);
  if (seconds !== null && seconds >= 0) return seconds * 1000;
  const firstChunk = span.events.find((event) => firstChunkEvents.has(event.name));
  if (firstChunk && firstChunk.timeUnixNano >= span.startTimeUnixNano && span.startTimeUnixNano > 0n) {
    return Number(firstChunk.timeUnixNano - span.startTimeUnixNano) / 1e6;
  }
  return null;
}

/** `error.type` as the conventions ask, else the recorded exception's type, else the status message, else "error". */
function readErrorType(span: OtlpSpan): string {
  const exception = span.events.find((event) => event.name === 'exception');
  const type = readString(span.attributes, 'error.type') || (exception ? readString(exception.attributes, 'exception.type') : '') || span.statusMessage || 'error';
  return type.length > 128 ? type.slice(0, 128) : type;
}

// The ingest rules name event fields; on a span the sender knows the attribute, so it is named beside.
const attributeByEventField: Record<string, string> = {
  model: 'model (gen_ai.request.model or gen_ai.response.model)',
  timestamp: 'timestamp (startTimeUnixNano)',
  latencyMs: 'latencyMs (endTimeUnixNano − startTimeUnixNano)',
  inputTokens: 'inputTokens (gen_ai.usage.input_tokens)',
  outputTokens: 'outputTokens (gen_ai.usage.output_tokens)',
  cachedInputTokens: 'cachedInputTokens (gen_ai.usage.cache_read.input_tokens)',
  ttftMs: 'ttftMs (gen_ai.response.time_to_first_chunk)',
  provider: 'provider (gen_ai.provider.name)',
};

function withSpanField(problem: FieldProblem): FieldProblem {
  return { field: attributeByEventField[problem.field] ?? problem.field, message: problem.message };
}
