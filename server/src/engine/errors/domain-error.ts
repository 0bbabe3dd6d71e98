/** Every failure the domain reports on purpose has one of these codes; each surface maps them in one place. */
export enum ErrorCode {
  Validation = 'validation_failed',
  NotFound = 'not_found',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  InvalidCredentials = 'invalid_credentials',
  InvalidApiKey = 'invalid_api_key',
  PayloadTooLarge = 'payload_too_large',
  MalformedPayload = 'malformed_payload',
  Conflict = 'conflict',
  StoreUnavailable = 'store_unavailable',
  RateLimited = 'rate_limited',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const httpStatusByErrorCode: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.MalformedPayload]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.InvalidApiKey]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.StoreUnavailable]: 503,
  [ErrorCode.RateLimited]: 429,
};
