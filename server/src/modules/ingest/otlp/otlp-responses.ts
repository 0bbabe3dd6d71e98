import { DomainError, ErrorCode, httpStatusByErrorCode } from '../../../engine/errors/domain-error';
import { otlpContentTypes, type OtlpEncoding } from './otlp-body';
import type { OtlpFieldViolation } from './otlp-decode-error';
import { otlpProtoTypes } from './otlp-proto-types';
import type { OtlpTranslation } from './translate-otlp-traces';

/** An answer ready to send: status, Content-Type (the request's encoding) and body. */
export interface OtlpHttpAnswer {
  httpStatus: number;
  contentType: string;
  body: Buffer;
}

export interface OtlpPartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

const maxProblemsNamed = 5;
const maxErrorMessageLength = 4096;
const badRequestTypeUrl = 'type.googleapis.com/google.rpc.BadRequest';

/** gRPC codes for google.rpc.Status.code (the OTLP/HTTP specification lets clients ignore it, but it is filled). */
export const grpcStatusCodes = {
  invalidArgument: 3,
  permissionDenied: 7,
  resourceExhausted: 8,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

/**
 * The partial success of an export, or null when everything was accepted (the specification wants the field unset
 * then). Spans refused count as rejected; refused evaluation events alone answer rejected 0 with a message, which the
 * specification allows as a warning. Spans dropped on purpose (not GenAI) are accepted, not rejected: re-sending them
 * would change nothing.
 */
export function otlpPartialSuccess(translation: OtlpTranslation): OtlpPartialSuccess | null {
  if (translation.problems.length === 0) return null;
  const named = translation.problems.slice(0, maxProblemsNamed).map((problem) => {
    const what = problem.subject === 'span' ? `span ${problem.spanId || '(no id)'} "${problem.spanName}"` : `evaluation event ${problem.eventIndex} of span ${problem.spanId || '(no id)'}`;
    return `${what}: ${problem.problems.map((item) => `${item.field} ${item.message}`).join('; ')}`;
  });
  const more = translation.problems.length > maxProblemsNamed ? ` … and ${translation.problems.length - maxProblemsNamed} more` : '';
  const summary = [
    translation.rejectedSpans > 0 ? `${translation.rejectedSpans} of ${translation.spans} spans refused` : '',
    translation.rejectedEvaluations > 0 ? `${translation.rejectedEvaluations} evaluation events refused` : '',
  ].filter(Boolean).join(', ');
  let errorMessage = `${summary}: ${named.join(' | ')}${more}`;
  if (errorMessage.length > maxErrorMessageLength) errorMessage = `${errorMessage.slice(0, maxErrorMessageLength - 1)}…`;
  return { rejectedSpans: translation.rejectedSpans, errorMessage };
}

/** The 200 answer: an ExportTraceServiceResponse, empty on full success, with partialSuccess otherwise. */
export function encodeExportTraceResponse(encoding: OtlpEncoding, partialSuccess: OtlpPartialSuccess | null): OtlpHttpAnswer {
  const contentType = otlpContentTypes[encoding];
  if (encoding === 'json') {
    // int64 is a decimal string in the protobuf JSON mapping.
    const body = partialSuccess ? { partialSuccess: { rejectedSpans: String(partialSuccess.rejectedSpans), errorMessage: partialSuccess.errorMessage } } : {};
    return { httpStatus: 200, contentType, body: Buffer.from(JSON.stringify(body)) };
  }
  const message = otlpProtoTypes.exportTraceServiceResponse.fromObject(partialSuccess ? { partialSuccess } : {});
  return { httpStatus: 200, contentType, body: Buffer.from(otlpProtoTypes.exportTraceServiceResponse.encode(message).finish()) };
}

export interface OtlpErrorStatus {
  httpStatus: number;
  grpcCode: number;
  message: string;
  fieldViolations?: OtlpFieldViolation[];
}

/**
 * A 4xx/5xx answer: the google.rpc.Status the OTLP/HTTP specification requires as the body, with a
 * google.rpc.BadRequest detail naming the bad fields when there are any.
 */
export function encodeOtlpErrorStatus(encoding: OtlpEncoding, status: OtlpErrorStatus): OtlpHttpAnswer {
  const contentType = otlpContentTypes[encoding];
  const violations = status.fieldViolations ?? [];
  if (encoding === 'json') {
    const body = {
      code: status.grpcCode,
      message: status.message,
      ...(violations.length > 0 ? { details: [{ '@type': badRequestTypeUrl, fieldViolations: violations }] } : {}),
    };
    return { httpStatus: status.httpStatus, contentType, body: Buffer.from(JSON.stringify(body)) };
  }
  // google.protobuf.Any comes from protobufjs's bundled definition, which keeps the field name type_url as written.
  const details = violations.length > 0
    ? [{ type_url: badRequestTypeUrl, value: otlpProtoTypes.badRequest.encode(otlpProtoTypes.badRequest.fromObject({ fieldViolations: violations })).finish() }]
    : [];
  const message = otlpProtoTypes.status.fromObject({ code: status.grpcCode, message: status.message, details });
  return { httpStatus: status.httpStatus, contentType, body: Buffer.from(otlpProtoTypes.status.encode(message).finish()) };
}

const grpcCodeByErrorCode: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.MalformedPayload]: grpcStatusCodes.invalidArgument,
  [ErrorCode.Validation]: grpcStatusCodes.invalidArgument,
  [ErrorCode.PayloadTooLarge]: grpcStatusCodes.resourceExhausted,
  [ErrorCode.InvalidApiKey]: grpcStatusCodes.unauthenticated,
  [ErrorCode.Unauthenticated]: grpcStatusCodes.unauthenticated,
  [ErrorCode.InvalidCredentials]: grpcStatusCodes.unauthenticated,
  [ErrorCode.Forbidden]: grpcStatusCodes.permissionDenied,
  [ErrorCode.StoreUnavailable]: grpcStatusCodes.unavailable,
};

/** The OTLP answer for a domain error on /v1/traces (malformed 400, too large 413, bad key 401, store down 503). */
export function otlpErrorAnswer(encoding: OtlpEncoding, error: DomainError): OtlpHttpAnswer {
  const details = error.details as { fieldViolations?: OtlpFieldViolation[] } | undefined;
  return encodeOtlpErrorStatus(encoding, {
    httpStatus: httpStatusByErrorCode[error.code],
    grpcCode: grpcCodeByErrorCode[error.code] ?? grpcStatusCodes.internal,
    message: error.message,
    fieldViolations: Array.isArray(details?.fieldViolations) ? details.fieldViolations : undefined,
  });
}
