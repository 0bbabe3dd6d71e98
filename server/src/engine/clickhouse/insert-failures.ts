/**
 * What a failed insert means for the writer. Decided by the error's code or type where ClickHouse gives one, and by
 * the Node network error code otherwise — never by digits found anywhere in a message.
 *  - `unavailable`: the store could not take the rows now (network, timeout, overload, full disk, closed engine):
 *    retry with the same token, and tell callers 503 if it lasts.
 *  - `oversize`: this insert was too large for the server or a proxy: split it.
 *  - `rows`: something in the rows was refused (a value the format or a column type cannot take): split to find
 *    the rows at fault, store the others.
 *  - `statement`: the statement itself is wrong (schema, permissions): every row would fail the same way.
 */
export type InsertFailureKind = 'unavailable' | 'oversize' | 'rows' | 'statement';

const unavailableTypes = new Set([
  'TOO_MANY_SIMULTANEOUS_QUERIES', 'TOO_MANY_PARTS', 'MEMORY_LIMIT_EXCEEDED', 'TIMEOUT_EXCEEDED', 'SOCKET_TIMEOUT',
  'NETWORK_ERROR', 'NOT_ENOUGH_SPACE', 'CANNOT_WRITE_TO_FILE_DESCRIPTOR', 'CANNOT_FSYNC', 'ABORTED', 'QUERY_WAS_CANCELLED',
  'KEEPER_EXCEPTION', 'TABLE_IS_READ_ONLY', 'ALL_CONNECTION_TRIES_FAILED', 'NO_REPLICA_HAS_PART', 'UNEXPECTED_PACKET_FROM_SERVER',
  'CANNOT_ALLOCATE_MEMORY', 'TOO_MANY_SIMULTANEOUS_INSERTS',
]);
const oversizeTypes = new Set(['QUERY_IS_TOO_LARGE', 'TOO_LARGE_STRING_SIZE', 'TOO_LARGE_ARRAY_SIZE']);
const rowTypePattern = /^(CANNOT_PARSE|CANNOT_READ|INCORRECT_DATA|TYPE_MISMATCH|VALUE_IS_OUT_OF_RANGE|CANNOT_CONVERT|INCORRECT_NUMBER_OF_COLUMNS|DECIMAL_OVERFLOW|ARGUMENT_OUT_OF_BOUND|BAD_ARGUMENTS|CANNOT_INSERT_NULL|ILLEGAL_COLUMN|UNKNOWN_ELEMENT_IN_INPUT)/;
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOSPC', 'UND_ERR_SOCKET']);

export function classifyInsertFailure(error: unknown): InsertFailureKind {
  const type = typeof (error as { type?: unknown })?.type === 'string' ? (error as { type: string }).type : undefined;
  if (type) {
    if (unavailableTypes.has(type)) return 'unavailable';
    if (oversizeTypes.has(type)) return 'oversize';
    if (rowTypePattern.test(type)) return 'rows';
    return 'statement';
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && networkCodes.has(code)) return 'unavailable';
  const message = error instanceof Error ? error.message : String(error);
  // The HTTP client reports a status without a ClickHouse type for proxies and overloaded servers.
  if (/^(Timeout error|socket hang up|ChdbConnection is closed|Client has encountered a connection error)/i.test(message)) return 'unavailable';
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (status === 413) return 'oversize';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  // Anything else without a ClickHouse type (a connection that broke in a way we do not know): treat as the store
  // being unavailable, which keeps the rows and retries rather than refusing data that may be fine.
  return 'unavailable';
}
