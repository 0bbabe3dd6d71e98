import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { pagingOf, type ListArguments } from '../../../../server/src/engine/graphql/list-arguments';

const sortable = ['timestamp', 'costUsd'] as const;
const defaults = { sortField: 'timestamp' as const, sortOrder: 'DESC' as const };

function refusal(args: ListArguments): DomainError {
  try {
    pagingOf(args, sortable, defaults);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`pagingOf accepted ${JSON.stringify(args)}`);
}

describe('pagingOf', () => {
  it('fills the defaults', () => {
    expect(pagingOf({}, sortable, defaults)).toEqual({ page: 0, perPage: 25, sortField: 'timestamp', sortOrder: 'DESC' });
  });

  it('keeps valid arguments and upper-cases the order', () => {
    expect(pagingOf({ page: 3, perPage: 1000, sortField: 'costUsd', sortOrder: 'asc' }, sortable, defaults)).toEqual({
      page: 3, perPage: 1000, sortField: 'costUsd', sortOrder: 'ASC',
    });
    expect(pagingOf({ perPage: 1 }, sortable, defaults).perPage).toBe(1);
  });

  it('refuses a sort field it cannot sort by, naming the ones it can', () => {
    const error = refusal({ sortField: 'prompt; DROP TABLE requests' });
    expect(error.code).toBe(ErrorCode.Validation);
    expect(error.message).toBe('sortField must be one of: timestamp, costUsd');
  });

  it('refuses a bad order, page or page size', () => {
    expect(refusal({ sortOrder: 'sideways' }).message).toBe('sortOrder must be ASC or DESC');
    expect(refusal({ page: -1 }).message).toBe('page must be 0 or more');
    expect(refusal({ perPage: 0 }).message).toBe('perPage must be from 1 to 1000');
    expect(refusal({ perPage: 1001 }).message).toBe('perPage must be from 1 to 1000');
  });
});
