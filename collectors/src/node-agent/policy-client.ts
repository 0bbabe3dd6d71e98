/**
 * Pulls this node's policy from Warden with a conditional GET (If-None-Match with the last ETag), keeps the
 * last one it got, and keeps it through any failure: an unreachable Warden never empties the allow-list.
 */
import { getText } from './http-get';
import type { LogFunction } from './log';
import type { NodePolicy } from './node-report';

export type PolicyRefresh = 'changed' | 'unchanged' | 'absent' | 'failed';

export interface HeldPolicy {
  readonly policy: NodePolicy;
  readonly etag: string | undefined;
  readonly receivedAt: Date;
}

export interface PolicyClientOptions {
  readonly policyUrl: string;
  readonly apiKey: string;
  readonly userAgent: string;
  readonly log: LogFunction;
  readonly timeoutMilliseconds: number;
  readonly signal?: AbortSignal;
}

export function parseNodePolicy(value: unknown): NodePolicy | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { allowedModels, version } = value as Record<string, unknown>;
  if (!Array.isArray(allowedModels) || !allowedModels.every((model) => typeof model === 'string')) return 'allowedModels must be an array of strings';
  if (typeof version !== 'string' && typeof version !== 'number') return 'version must be a string or a number';
  return { allowedModels: [...(allowedModels as string[])], version };
}

export class PolicyClient {
  private held: HeldPolicy | undefined;
  private lastProblem: string | undefined;
  private inFlight: Promise<PolicyRefresh> | undefined;

  constructor(private readonly options: PolicyClientOptions) {}

  get current(): HeldPolicy | undefined {
    return this.held;
  }

  /** One conditional GET; concurrent callers share it. */
  refresh(): Promise<PolicyRefresh> {
    if (this.inFlight === undefined) {
      this.inFlight = this.fetchPolicy().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async fetchPolicy(): Promise<PolicyRefresh> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (this.held?.etag !== undefined) headers['if-none-match'] = this.held.etag;
    const fetched = await getText(this.options.policyUrl, { headers, timeoutMilliseconds: this.options.timeoutMilliseconds, signal: this.options.signal });
    if (!fetched.ok) {
      if (this.options.signal?.aborted === true) return 'failed'; // the agent is stopping: nothing to report
      if (fetched.status === 404) {
        this.problem('absent', `Warden has no policy for this node (${fetched.error}); ${this.keeping()}`);
        return 'absent';
      }
      this.problem(`failed ${fetched.status ?? fetched.error}`, `policy pull failed: ${fetched.error}; ${this.keeping()}`);
      return 'failed';
    }
    if (fetched.status === 304 && this.held !== undefined) {
      this.lastProblem = undefined;
      return 'unchanged';
    }
    let parsed: NodePolicy | string;
    try {
      parsed = parseNodePolicy(JSON.parse(fetched.value));
    } catch {
      parsed = 'not JSON';
    }
    if (typeof parsed === 'string') {
      this.problem(`invalid ${parsed}`, `policy from ${this.options.policyUrl} is unreadable (${parsed}); ${this.keeping()}`);
      return 'failed';
    }
    const previous = this.held?.policy;
    this.held = { policy: parsed, etag: fetched.headers.get('etag') ?? undefined, receivedAt: new Date() };
    this.lastProblem = undefined;
    const same = previous !== undefined && previous.version === parsed.version && previous.allowedModels.join('\n') === parsed.allowedModels.join('\n');
    if (same) return 'unchanged';
    this.options.log(
      `node policy ${previous === undefined ? 'received' : `changed from version ${previous.version}`}: version ${parsed.version}, allowed models: ${parsed.allowedModels.length === 0 ? '(none)' : parsed.allowedModels.join(', ')}`,
    );
    return 'changed';
  }

  private keeping(): string {
    return this.held === undefined ? 'no policy held yet' : `keeping version ${this.held.policy.version}`;
  }

  /** One line per new kind of problem, not one per poll. */
  private problem(kind: string, message: string): void {
    if (kind === this.lastProblem) return;
    this.lastProblem = kind;
    this.options.log(message);
  }
}
