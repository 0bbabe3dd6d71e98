import { parseError } from '@clickhouse/client';
import { DatabaseError } from 'pg';
import { QueryFailedError, TypeORMError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { isStoreUnavailableError } from '../../../../server/src/engine/errors/store-errors';

/** pg's DatabaseError as the driver builds it from a server's ErrorResponse. */
function postgresError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'ERROR';
  return error;
}

/** The exception text a ClickHouse server (and chDB) answers; @clickhouse/client parses it into ClickHouseError. */
const notEnoughSpace =
  'Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space: While executing WaitForAsyncInsert. (NOT_ENOUGH_SPACE) (version 25.8.2.29 (official build))';
const timeoutExceeded = 'Code: 159. DB::Exception: Timeout exceeded: elapsed 30.0 seconds, maximum: 30. (TIMEOUT_EXCEEDED) (version 25.8.2.29 (official build))';
const syntaxError = 'Code: 62. DB::Exception: Syntax error: failed at position 1 (SELEC). (SYNTAX_ERROR) (version 25.8.2.29 (official build))';
const unknownTable = 'Code: 60. DB::Exception: Unknown table expression identifier \'nope\'. (UNKNOWN_TABLE) (version 25.8.2.29 (official build))';

describe('isStoreUnavailableError', () => {
  it('reads ClickHouse exceptions by type and code: a full disk and a timeout are unavailability, a bad query is not', () => {
    const full = parseError(notEnoughSpace);
    expect(full).toMatchObject({ code: '243', type: 'NOT_ENOUGH_SPACE' });
    expect(isStoreUnavailableError(full)).toBe(true);
    expect(isStoreUnavailableError(parseError(timeoutExceeded))).toBe(true);
    expect(isStoreUnavailableError(parseError(syntaxError))).toBe(false);
    expect(isStoreUnavailableError(parseError(unknownTable))).toBe(false);
  });

  it('reads Postgres SQLSTATEs: disk full, shutdown, statement timeout, connection failure; not constraint or syntax errors', () => {
    for (const code of ['53100', '53300', '57P01', '57P03', '57014', '08006', '08001', '55P03', '58030']) {
      expect(isStoreUnavailableError(postgresError(code, 'x')), code).toBe(true);
    }
    for (const code of ['23505', '42601', '42P01', '22P02', '40001']) {
      expect(isStoreUnavailableError(postgresError(code, 'x')), code).toBe(false);
    }
  });

  it('looks through TypeORM, cause chains and AggregateError', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], postgresError('57014', 'canceling statement due to statement timeout'));
    expect(isStoreUnavailableError(wrapped)).toBe(true);
    expect(isStoreUnavailableError(new QueryFailedError('INSERT', [], postgresError('23505', 'duplicate key')))).toBe(false);
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(isStoreUnavailableError(new AggregateError([refused], 'all attempts failed'))).toBe(true);
    expect(isStoreUnavailableError(new Error('batch failed', { cause: parseError(notEnoughSpace) }))).toBe(true);
    expect(isStoreUnavailableError(new TypeORMError('Driver not Connected'))).toBe(true);
  });

  it('takes DomainError at its word, and refuses to guess from unrelated text', () => {
    expect(isStoreUnavailableError(new DomainError(ErrorCode.StoreUnavailable, 'writer is full'))).toBe(true);
    expect(isStoreUnavailableError(new DomainError(ErrorCode.Validation, 'ECONNREFUSED in a field'))).toBe(false);
    // Only the exact wording of a client that has no code counts: user text mentioning a timeout does not.
    expect(isStoreUnavailableError(new Error('model "Timeout error." is unknown'))).toBe(false);
    expect(isStoreUnavailableError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isStoreUnavailableError('ECONNREFUSED')).toBe(false);
    expect(isStoreUnavailableError(undefined)).toBe(false);
  });
});
