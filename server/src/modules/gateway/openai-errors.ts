import type { RefusalReason } from '../policies/rules';

/** OpenAI's error body, literally: `{"error":{"message","type","param","code"}}`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** One answer the gateway gives instead of a completion: status, body and the headers that go with it. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidApiKey = (message: string): GatewayError => new GatewayError(401, 'invalid_request_error', 'invalid_api_key', message);

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null): GatewayError =>
  new GatewayError(400, 'invalid_request_error', code, message, param);

/**
 * The decision engine's refusals in OpenAI's shapes (issue 8 §3): the openai client turns 403 into
 * PermissionDeniedError and 429 into RateLimitError, and stops retrying on `x-should-retry: false`.
 */
export function refusalError(reason: RefusalReason, message: string, retryAfterSeconds: number | undefined): GatewayError {
  switch (reason) {
    case 'model_not_allowed':
      return new GatewayError(403, 'invalid_request_error', 'model_not_allowed', message, 'model');
    case 'insufficient_quota':
      // Waiting does not help until the period rolls over: tell clients not to retry.
      return new GatewayError(429, 'insufficient_quota', 'insufficient_quota', message, null, { 'x-should-retry': 'false' });
    case 'rate_limit_exceeded':
      return new GatewayError(429, 'requests', 'rate_limit_exceeded', message, null, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds ?? 1))) });
    case 'content_policy_violation':
      return new GatewayError(400, 'invalid_request_error', 'content_policy_violation', message, 'messages');
    case 'on_premises_required':
      return new GatewayError(403, 'invalid_request_error', 'on_premises_required', message, null);
    default:
      return new GatewayError(403, 'invalid_request_error', reason, message, null);
  }
}

/** OpenAI's type for an upstream status, when the upstream's own body does not say. */
export function typeForStatus(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
