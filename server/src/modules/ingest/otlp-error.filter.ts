import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { grpcStatusCodes, encodeOtlpErrorStatus, otlpEncodingOf, otlpErrorAnswer } from './otlp';

/**
 * Errors on /v1/traces answered as the OTLP/HTTP specification asks: a google.rpc.Status body in the request's
 * encoding (JSON when it named none we speak), for a bad key (401), a malformed (400) or too large (413) body, and a
 * store that cannot take rows now (503 with Retry-After, which exporters honour).
 */
@Catch()
export class OtlpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OTLP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const encoding = otlpEncodingOf(request.headers['content-type']) ?? 'json';
    let error: DomainError;
    if (exception instanceof DomainError) {
      error = exception;
    } else if (exception instanceof HttpException && exception.getStatus() === 404) {
      error = new DomainError(ErrorCode.NotFound, exception.message);
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      const answer = encodeOtlpErrorStatus(encoding, { httpStatus: 500, grpcCode: grpcStatusCodes.internal, message: 'Internal error; the server log has the details' });
      response.status(answer.httpStatus).type(answer.contentType).send(answer.body);
      return;
    }
    if (error.code === ErrorCode.StoreUnavailable) {
      response.setHeader('Retry-After', String((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 5));
    }
    if (error.code === ErrorCode.PayloadTooLarge) response.setHeader('Connection', 'close');
    const answer = otlpErrorAnswer(encoding, error);
    response.status(answer.httpStatus).type(answer.contentType).send(answer.body);
  }
}
