import { DomainError, ErrorCode } from '../../../engine/errors/domain-error';

/** Where a malformed request went wrong, as google.rpc.BadRequest's field violations name it. */
export interface OtlpFieldViolation {
  field: string;
  description: string;
}

/**
 * A request that cannot be decoded at all: answered 400 with the OTLP error body (encodeOtlpErrorStatus), the whole
 * batch refused. The details carry the field violation for that body.
 */
export function malformedOtlp(format: 'JSON' | 'protobuf', field: string, description: string): DomainError {
  const where = field ? ` at ${field}` : '';
  return new DomainError(ErrorCode.MalformedPayload, `Malformed OTLP ${format}${where}: ${description}`, {
    fieldViolations: [{ field, description }] satisfies OtlpFieldViolation[],
  });
}
