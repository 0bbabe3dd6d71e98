import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode, httpStatusByErrorCode } from './domain-error';

// Failures to reach a store (network, a closed embedded engine): answered as 503 so clients retry and dashboards say
// "unavailable", never confused with an empty answer or a bug.
const storeUnavailablePattern = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|socket hang up|Connection terminated|ChdbConnection is closed|Client has encountered a connection error/i;

const graphqlCodeByErrorCode: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.Unauthenticated]: 'UNAUTHENTICATED',
  [ErrorCode.Forbidden]: 'FORBIDDEN',
  [ErrorCode.Validation]: 'BAD_USER_INPUT',
  [ErrorCode.NotFound]: 'NOT_FOUND',
};

/**
 * The one place errors become responses. REST: `{"error":{"code","message","details"}}` with the mapped status.
 * GraphQL: a GraphQLError whose extensions carry the code (UNAUTHENTICATED etc. as Apollo clients expect).
 * Anything unexpected is logged with its stack and answered as a 500 without internals.
 */
@Catch()
export class ErrorMappingFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const mapped = this.map(exception);
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(mapped.message, {
        extensions: { code: graphqlCodeByErrorCode[mapped.code as ErrorCode] ?? mapped.code.toUpperCase(), details: mapped.details },
      });
    }
    const response = host.switchToHttp().getResponse<Response>();
    if (mapped.status === 503) {
      const retryAfter = (mapped.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 5;
      response.setHeader('Retry-After', String(retryAfter));
    }
    response.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message, details: mapped.details } });
    return undefined;
  }

  private map(exception: unknown): { status: number; code: string; message: string; details?: unknown } {
    if (exception instanceof DomainError) {
      return { status: httpStatusByErrorCode[exception.code], code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, code: status === 404 ? ErrorCode.NotFound : `http_${status}`, message: exception.message };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (storeUnavailablePattern.test(exception instanceof Error ? `${exception.message} ${String((exception as { code?: unknown }).code ?? '')}` : String(exception))) {
      return { status: 503, code: ErrorCode.StoreUnavailable, message: 'A data store is unavailable; /readyz shows which' };
    }
    return { status: 500, code: 'internal_error', message: 'Internal error; the server log has the details' };
  }
}
