import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GraphQLError, Kind, parse, visit, type ASTNode, type GraphQLFormattedError } from 'graphql';
import { InvalidDateTimeError } from '../graphql/date-time.scalar';
import { DomainError, ErrorCode, httpStatusByErrorCode } from './domain-error';
import { isStoreUnavailableError, storeUnavailableRetryAfterSeconds } from './store-errors';

const graphqlCodeByErrorCode: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.Unauthenticated]: 'UNAUTHENTICATED',
  [ErrorCode.Forbidden]: 'FORBIDDEN',
  [ErrorCode.Validation]: 'BAD_USER_INPUT',
  [ErrorCode.NotFound]: 'NOT_FOUND',
};

interface MappedError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
}

/**
 * The one place errors become responses. REST: `{"error":{"code","message","details"}}` with the mapped status.
 * GraphQL: a GraphQLError whose extensions carry the code (UNAUTHENTICATED etc. as Apollo clients expect).
 * A store that cannot serve (unreachable, timed out, disk full, closed) is 503 `store_unavailable` with
 * Retry-After: the client retries, and it is never confused with an empty answer or a bug. Anything else
 * unexpected is logged with its stack and answered as a 500 without internals.
 */
@Catch()
export class ErrorMappingFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const mapped = this.map(exception);
    const retryAfter = mapped.retryAfterSeconds === undefined ? undefined : String(mapped.retryAfterSeconds);
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(mapped.message, {
        extensions: {
          code: graphqlCodeByErrorCode[mapped.code as ErrorCode] ?? mapped.code.toUpperCase(),
          details: mapped.details,
          ...(retryAfter && { retryAfterSeconds: mapped.retryAfterSeconds, http: { headers: new Map([['retry-after', retryAfter]]) } }),
        },
      });
    }
    const response = host.switchToHttp().getResponse<Response>();
    if (retryAfter) response.setHeader('Retry-After', retryAfter);
    response.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message, details: mapped.details } });
    return undefined;
  }

  private map(exception: unknown): MappedError {
    if (exception instanceof DomainError) {
      const status = httpStatusByErrorCode[exception.code];
      return {
        status,
        code: exception.code,
        message: exception.message,
        details: exception.details,
        // A 503 may say how long to wait (the writer does when it is behind); otherwise the store default.
        retryAfterSeconds:
          status === 503 ? ((exception.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? storeUnavailableRetryAfterSeconds) : undefined,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, code: status === 404 ? ErrorCode.NotFound : `http_${status}`, message: exception.message };
    }
    if (isStoreUnavailableError(exception)) {
      this.logger.warn(`store unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      return {
        status: 503,
        code: ErrorCode.StoreUnavailable,
        message: 'A data store is unavailable; retry later (/readyz shows which)',
        retryAfterSeconds: storeUnavailableRetryAfterSeconds,
      };
    }
    // Message and stack apart: the logger escapes the message and keeps the stack's frames one per line.
    if (exception instanceof Error) this.logger.error(`${exception.name}: ${exception.message}`, exception.stack);
    else this.logger.error(String(exception));
    return { status: 500, code: 'internal_error', message: 'Internal error; the server log has the details' };
  }
}

function invalidDateTimeIn(error: unknown): InvalidDateTimeError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth += 1) {
    if (current instanceof InvalidDateTimeError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

type Ancestor = ASTNode | readonly ASTNode[];

/** `from`, or `filter.timestamp_gte`: the argument and input fields enclosing a node (visit's ancestors plus parent). */
function argumentPath(ancestors: readonly Ancestor[], parent: Ancestor | undefined): string {
  return [...ancestors, parent]
    .flatMap((ancestor) => (ancestor && !Array.isArray(ancestor) ? [ancestor as ASTNode] : []))
    .flatMap((ancestor) => (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD ? [ancestor.name.value] : []))
    .join('.');
}

/** The argument whose value holds the literal at `offset`. */
function argumentAt(document: ASTNode, offset: number): string | undefined {
  let found: string | undefined;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node.loc?.start !== offset || (node.kind !== Kind.STRING && node.kind !== Kind.INT && node.kind !== Kind.FLOAT && node.kind !== Kind.ENUM)) return;
      found = argumentPath(ancestors, parent) || found;
    },
  });
  return found;
}

/** The arguments a variable is passed to, e.g. `$from` → `from`. */
function argumentsOfVariable(document: ASTNode, variable: string): string[] {
  const names = new Set<string>();
  visit(document, {
    Variable(node, _key, parent, _path, ancestors) {
      if (node.name.value !== variable) return;
      const path = argumentPath(ancestors, parent);
      if (path) names.add(path);
    },
  });
  return [...names];
}

function nameTheArgument(error: Pick<GraphQLError, 'nodes' | 'source' | 'message'>, invalid: InvalidDateTimeError): string {
  const node = error.nodes?.[0];
  const source = node?.loc?.source.body ?? error.source?.body;
  if (!node?.loc || !source) return invalid.message;
  let document: ASTNode;
  try {
    document = parse(source);
  } catch {
    return invalid.message;
  }
  if (node.kind === Kind.VARIABLE_DEFINITION) {
    const variable = node.variable.name.value;
    const argumentsNamed = argumentsOfVariable(document, variable);
    const named = argumentsNamed.length > 0 ? argumentsNamed.map((name) => `"${name}"`).join(', ') : `$${variable}`;
    const inputPath = /got invalid value .* at "([^"]+)"/.exec(error.message)?.[1];
    return `Argument ${named} (variable $${inputPath ?? variable}): ${invalid.message}`;
  }
  const argument = argumentAt(document, node.loc.start);
  return argument ? `Argument "${argument}": ${invalid.message}` : invalid.message;
}

/**
 * Apollo's formatError: an invalid DateTime becomes BAD_USER_INPUT naming the argument, whether it was written in the
 * query (graphql-js reports it as a validation failure) or sent as a variable. Everything else passes unchanged.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const invalid = invalidDateTimeIn(error);
  // Duck-typed, not instanceof: Apollo and the schema may load graphql-js apart from this file (ESM and CJS copies).
  if (!invalid || !error || typeof error !== 'object' || !('message' in error)) return formatted;
  return {
    ...formatted,
    message: nameTheArgument(error as GraphQLError, invalid),
    extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' },
  };
}
