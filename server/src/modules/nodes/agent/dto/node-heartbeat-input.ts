import { DomainError, ErrorCode } from '../../../../engine/errors/domain-error';
import { findUnknownFields, type FieldProblem } from '../../../../engine/validation/field-problems';
import { wellFormedText } from '../../../../engine/validation/text';
import { readIsoInstant } from '../../../../engine/validation/timestamps';

/**
 * `POST /api/v1/nodes/{name}/heartbeat`: the NodeHeartbeat warden-node-agent sends (collectors/src/node-agent/
 * node-report.ts is the contract; this mirrors it). Every bad field is named at once, with its path.
 */
export interface NodeHeartbeatInput {
  schemaVersion: 1;
  id: string;
  agentVersion: string;
  sampledAt: Date;
  intervalSeconds: number;
  engine: { kind: string | null; version: string | null; up: boolean; error: string | null };
  models: string[];
  metrics: {
    queueDepth: number | null;
    running: number | null;
    kvCacheUsageRatio: number | null;
    promptTokensPerSecond: number | null;
    generationTokensPerSecond: number | null;
    ttftSeconds: { window: 'interval' | 'engine_lifetime'; observations: number; p50: number | null; p90: number | null; p99: number | null } | null;
    error: string | null;
  };
  policyVersion: string | null;
  droppedReports: number;
}

/** Limits of one report (README "Node agent"): a model list or an error text never grows a row without bound. */
export const HEARTBEAT_LIMITS = {
  maxModels: 1000,
  maxModelLength: 256,
  maxErrorLength: 2000,
  maxShortText: 128,
  /** A report sampled further ahead of Warden's clock than this is refused (a wrong clock, not a late report). */
  maxFutureSkewMs: 5 * 60_000,
} as const;

const topFields = new Set(['schemaVersion', 'id', 'agentVersion', 'sampledAt', 'intervalSeconds', 'engine', 'models', 'metrics', 'policyVersion', 'droppedReports']);
const engineFields = new Set(['kind', 'version', 'up', 'error']);
const metricFields = new Set(['queueDepth', 'running', 'kvCacheUsageRatio', 'promptTokensPerSecond', 'generationTokensPerSecond', 'ttftSeconds', 'error']);
const ttftFields = new Set(['window', 'observations', 'p50', 'p90', 'p99']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads fields of one object under a path prefix (`metrics.queueDepth`), collecting problems. */
class HeartbeatReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly prefix: string,
    private readonly problems: FieldProblem[],
    known: ReadonlySet<string>,
  ) {
    for (const problem of findUnknownFields(input, known)) problems.push({ ...problem, field: this.path(problem.field) });
  }

  path(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  problem(field: string, message: string): void {
    this.problems.push({ field: this.path(field), message });
  }

  has(field: string): boolean {
    return field in this.input;
  }

  raw(field: string): unknown {
    return this.input[field];
  }

  text(field: string, options: { nullable: boolean; max: number }): string | null {
    const value = this.input[field];
    if (value === undefined || value === null) {
      if (!options.nullable || value === undefined) this.problem(field, options.nullable ? 'is required (a string or null)' : 'is required');
      return null;
    }
    if (typeof value !== 'string') {
      this.problem(field, `must be a string${options.nullable ? ' or null' : ''}, got ${describe(value)}`);
      return null;
    }
    if (!options.nullable && value.trim() === '') {
      this.problem(field, 'must not be empty');
      return null;
    }
    // Error texts are the engine's words: cut, not refused, so a long stack trace never costs the report.
    return wellFormedText(value.length > options.max ? `${value.slice(0, options.max)}…` : value);
  }

  /** A finite number ≥ 0 (and ≤ maximum), or null where the engine has none. */
  measure(field: string, options: { maximum?: number; nullable?: boolean } = {}): number | null {
    const value = this.input[field];
    const nullable = options.nullable ?? true;
    if (value === undefined || (value === null && !nullable)) {
      this.problem(field, nullable ? 'is required (a number or null)' : 'is required');
      return null;
    }
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (options.maximum !== undefined && value > options.maximum)) {
      const range = options.maximum === undefined ? 'a number ≥ 0' : `a number from 0 to ${options.maximum}`;
      this.problem(field, `must be ${range}${nullable ? ' or null' : ''}, got ${describe(value)}`);
      return null;
    }
    return value;
  }

  wholeNumber(field: string, maximum: number): number {
    const value = this.input[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > maximum) {
      this.problem(field, value === undefined ? 'is required' : `must be a whole number from 0 to ${maximum}, got ${describe(value)}`);
      return 0;
    }
    return value;
  }

  bool(field: string): boolean {
    const value = this.input[field];
    if (typeof value !== 'boolean') {
      this.problem(field, value === undefined ? 'is required (true or false)' : `must be true or false, got ${describe(value)}`);
      return false;
    }
    return value;
  }

  object(field: string, options: { nullable: boolean }): Record<string, unknown> | null {
    const value = this.input[field];
    if (value === null && options.nullable) return null;
    if (!isObject(value)) {
      this.problem(field, value === undefined ? 'is required' : `must be an object${options.nullable ? ' or null' : ''}, got ${describe(value)}`);
      return null;
    }
    return value;
  }
}

/** The report as stored, or 400 validation_failed with every problem in `details.problems`. */
export function readNodeHeartbeat(body: unknown, now: Date): NodeHeartbeatInput {
  if (!isObject(body)) {
    throw new DomainError(ErrorCode.Validation, 'heartbeat: send a JSON object (NodeHeartbeat)', { problems: [{ field: '', message: 'must be a JSON object' }] });
  }
  const problems: FieldProblem[] = [];
  const top = new HeartbeatReader(body, '', problems, topFields);
  if (body.schemaVersion !== 1) top.problem('schemaVersion', body.schemaVersion === undefined ? 'is required (1)' : `must be 1, got ${describe(body.schemaVersion)}`);
  const id = top.text('id', { nullable: false, max: HEARTBEAT_LIMITS.maxShortText });
  if (id !== null && (id.length > HEARTBEAT_LIMITS.maxShortText || !/^[A-Za-z0-9._:-]+$/.test(id))) {
    top.problem('id', `must be 1 to ${HEARTBEAT_LIMITS.maxShortText} characters of letters, digits and . _ : - (the agent sends a UUID)`);
  }
  const agentVersion = top.text('agentVersion', { nullable: false, max: HEARTBEAT_LIMITS.maxShortText }) ?? '';
  let sampledAt = new Date(Number.NaN);
  const sampledText = body.sampledAt;
  if (typeof sampledText !== 'string') {
    top.problem('sampledAt', sampledText === undefined ? 'is required (ISO-8601 UTC)' : `must be an ISO-8601 date-time string, got ${describe(sampledText)}`);
  } else {
    const reading = readIsoInstant(sampledText, { withoutZone: 'refuse', dateOnly: false });
    if ('problem' in reading) top.problem('sampledAt', reading.problem);
    else if (reading.date.getTime() > now.getTime() + HEARTBEAT_LIMITS.maxFutureSkewMs) {
      top.problem('sampledAt', `is more than ${HEARTBEAT_LIMITS.maxFutureSkewMs / 60_000} minutes ahead of Warden's clock (${now.toISOString()}): check the node's clock`);
    } else sampledAt = reading.date;
  }
  const intervalSeconds = top.measure('intervalSeconds', { nullable: false, maximum: 86_400 }) ?? 0;
  if (top.has('intervalSeconds') && intervalSeconds === 0 && body.intervalSeconds === 0) top.problem('intervalSeconds', 'must be greater than 0');

  const engineObject = top.object('engine', { nullable: false });
  const engine: NodeHeartbeatInput['engine'] = { kind: null, version: null, up: false, error: null };
  if (engineObject) {
    const reader = new HeartbeatReader(engineObject, 'engine', problems, engineFields);
    engine.kind = reader.text('kind', { nullable: true, max: HEARTBEAT_LIMITS.maxShortText });
    engine.version = reader.text('version', { nullable: true, max: HEARTBEAT_LIMITS.maxShortText });
    engine.up = reader.bool('up');
    engine.error = reader.text('error', { nullable: true, max: HEARTBEAT_LIMITS.maxErrorLength });
  }

  const models: string[] = [];
  if (!Array.isArray(body.models)) top.problem('models', body.models === undefined ? 'is required (an array of model ids)' : `must be an array of strings, got ${describe(body.models)}`);
  else if (body.models.length > HEARTBEAT_LIMITS.maxModels) top.problem('models', `must hold at most ${HEARTBEAT_LIMITS.maxModels} model ids`);
  else {
    body.models.forEach((model, index) => {
      if (typeof model !== 'string' || model.trim() === '' || model.length > HEARTBEAT_LIMITS.maxModelLength) {
        top.problem(`models[${index}]`, `must be a model id of 1 to ${HEARTBEAT_LIMITS.maxModelLength} characters, got ${describe(model)}`);
      } else if (!models.includes(model)) models.push(wellFormedText(model));
    });
  }

  const metricsObject = top.object('metrics', { nullable: false });
  const metrics: NodeHeartbeatInput['metrics'] = {
    queueDepth: null,
    running: null,
    kvCacheUsageRatio: null,
    promptTokensPerSecond: null,
    generationTokensPerSecond: null,
    ttftSeconds: null,
    error: null,
  };
  if (metricsObject) {
    const reader = new HeartbeatReader(metricsObject, 'metrics', problems, metricFields);
    metrics.queueDepth = reader.measure('queueDepth');
    metrics.running = reader.measure('running');
    metrics.kvCacheUsageRatio = reader.measure('kvCacheUsageRatio', { maximum: 1 });
    metrics.promptTokensPerSecond = reader.measure('promptTokensPerSecond');
    metrics.generationTokensPerSecond = reader.measure('generationTokensPerSecond');
    metrics.error = reader.text('error', { nullable: true, max: HEARTBEAT_LIMITS.maxErrorLength });
    const ttftObject = reader.object('ttftSeconds', { nullable: true });
    if (ttftObject) {
      const ttft = new HeartbeatReader(ttftObject, 'metrics.ttftSeconds', problems, ttftFields);
      const window = ttftObject.window;
      if (window !== 'interval' && window !== 'engine_lifetime') ttft.problem('window', `must be "interval" or "engine_lifetime", got ${describe(window)}`);
      metrics.ttftSeconds = {
        window: window === 'engine_lifetime' ? 'engine_lifetime' : 'interval',
        observations: ttft.wholeNumber('observations', Number.MAX_SAFE_INTEGER),
        p50: ttft.measure('p50'),
        p90: ttft.measure('p90'),
        p99: ttft.measure('p99'),
      };
    }
  }

  let policyVersion: string | null = null;
  const policyValue = body.policyVersion;
  if (typeof policyValue === 'string' && policyValue.length <= HEARTBEAT_LIMITS.maxShortText) policyVersion = policyValue;
  else if (typeof policyValue === 'number' && Number.isFinite(policyValue)) policyVersion = String(policyValue);
  else if (policyValue !== null) {
    top.problem('policyVersion', policyValue === undefined ? 'is required (the version held, or null)' : `must be a string, a number or null, got ${describe(policyValue)}`);
  }
  const droppedReports = top.wholeNumber('droppedReports', 4_294_967_295);

  if (problems.length > 0) {
    const summary = problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join('; ');
    throw new DomainError(ErrorCode.Validation, `heartbeat: ${summary}`, { problems });
  }
  return { schemaVersion: 1, id: id ?? '', agentVersion, sampledAt, intervalSeconds, engine, models, metrics, policyVersion, droppedReports };
}
