import { DomainError, ErrorCode } from './domain-error';

/** What a client is told to wait before retrying a request a store could not serve. */
export const storeUnavailableRetryAfterSeconds = 5;

// Socket and file-system errno codes (Node's net/fs, undici): the store cannot be reached or cannot write.
const unavailableSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOSPC',
  'EDQUOT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  // chDB's typed errors: the embedded session is closed, could not connect, or timed out.
  'CHDB_CLOSED',
  'CHDB_CONNECTION',
  'CHDB_TIMEOUT',
]);

// ClickHouse exception types (and their numeric codes): the server is out of disk, memory, time or capacity.
const unavailableClickhouseTypes = new Map<string, number>([
  ['NOT_ENOUGH_SPACE', 243],
  ['CANNOT_WRITE_TO_FILE_DESCRIPTOR', 75],
  ['TIMEOUT_EXCEEDED', 159],
  ['SOCKET_TIMEOUT', 209],
  ['NETWORK_ERROR', 210],
  ['TOO_MANY_SIMULTANEOUS_QUERIES', 202],
  ['CANNOT_ALLOCATE_MEMORY', 173],
  ['MEMORY_LIMIT_EXCEEDED', 241],
  ['TABLE_IS_READ_ONLY', 242],
  ['TOO_MANY_PARTS', 252],
  ['ALL_CONNECTION_TRIES_FAILED', 279],
  ['KEEPER_EXCEPTION', 999],
]);
const unavailableClickhouseCodes = new Set([...unavailableClickhouseTypes.values()].map(String));

// Postgres SQLSTATE: connection exceptions (08), insufficient resources (53: disk full, out of memory, too many
// connections), operator intervention (57P01-03: shutting down), query_canceled (57014: statement_timeout),
// lock_not_available (55P03: lock_timeout) and system errors (58: I/O error).
const unavailablePostgresState = /^(?:08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-3]|57014|55P03|58[0-9A-Z]{3})$/;

// Failures the clients report without any code: matched by their exact wording, per client.
const uncodedClientFailures = [
  /^Timeout error\.$/, // @clickhouse/client: request_timeout passed
  /^ChdbConnection is closed$/, // chdb/connection: the embedded engine was closed
  /^Connection terminated(?: unexpectedly| due to connection timeout)?$/, // pg
  /^Query read timeout$/, // pg: query_timeout
  /^timeout exceeded when trying to connect$/, // pg-pool: connectionTimeoutMillis
  /^Cannot use a pool after calling end on the pool$/, // pg-pool: closed
  /^Client (?:has encountered a connection error|was closed) and is not queryable$/, // pg
  /^Connection is closed\.$/, // ioredis
  /^Driver not Connected$/, // TypeORM: the data source was closed
];
// TypeORM and ioredis name their "not connected" errors by class.
const unavailableErrorNames = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError', 'MaxRetriesPerRequestError']);

interface ErrorFields {
  code?: unknown;
  type?: unknown;
  name?: unknown;
  message?: unknown;
  clickhouseCode?: unknown;
  severity?: unknown;
}

function isUnavailableSelf(error: ErrorFields): boolean {
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : undefined;
  if (code && unavailableSystemCodes.has(code)) return true;
  // A ClickHouseError carries `type` (NOT_ENOUGH_SPACE) and `code` ('243'); chDB's own errors carry clickhouseCode.
  if (typeof error.type === 'string' && unavailableClickhouseTypes.has(error.type)) return true;
  if (typeof error.type === 'string' && code && unavailableClickhouseCodes.has(code)) return true;
  if (error.clickhouseCode !== undefined && unavailableClickhouseCodes.has(String(error.clickhouseCode))) return true;
  // pg's DatabaseError has a severity and a five-character SQLSTATE; TypeORM copies both onto QueryFailedError.
  if (code && /^[0-9A-Z]{5}$/.test(code) && unavailablePostgresState.test(code)) return true;
  if (typeof error.name === 'string' && unavailableErrorNames.has(error.name)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return uncodedClientFailures.some((pattern) => pattern.test(message));
}

/** The errors an error wraps: `cause`, AggregateError's `errors`, TypeORM's `driverError`, GraphQL's `originalError`. */
function wrappedErrors(error: object): unknown[] {
  const fields = error as { cause?: unknown; errors?: unknown; driverError?: unknown; originalError?: unknown };
  return [fields.cause, fields.driverError, fields.originalError, ...(Array.isArray(fields.errors) ? fields.errors : [])];
}

/**
 * True when a store could not serve the request (unreachable, timed out, out of disk or capacity, closed): the
 * caller should retry later, and must never see it as a bug (500) or as an empty answer. Checks the error and
 * everything it wraps, by code and type first; the few client errors that carry no code are matched by wording.
 */
export function isStoreUnavailableError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  if (error instanceof DomainError) return error.code === ErrorCode.StoreUnavailable;
  if (isUnavailableSelf(error as ErrorFields)) return true;
  return wrappedErrors(error).some((inner) => inner !== error && isStoreUnavailableError(inner, depth + 1));
}
