import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { DomainError, ErrorCode } from '../errors/domain-error';

/** The list arguments react-admin's GraphQL providers send (ra-data-graphql-simple naming; page is 0-based). */
@ArgsType()
export class ListArguments {
  @Field(() => Int, { nullable: true })
  page?: number;

  @Field(() => Int, { nullable: true })
  perPage?: number;

  @Field(() => String, { nullable: true })
  sortField?: string;

  @Field(() => String, { nullable: true })
  sortOrder?: string;
}

@ObjectType()
export class ListMetadata {
  @Field(() => Int)
  count: number;
}

export interface Paging<SortField extends string> {
  page: number;
  perPage: number;
  sortField: SortField;
  sortOrder: 'ASC' | 'DESC';
}

/** Validates paging against the fields a resource can sort by, so a bad sort is an error and never reaches SQL. */
export function pagingOf<SortField extends string>(
  args: ListArguments,
  sortable: readonly SortField[],
  defaults: { sortField: SortField; sortOrder: 'ASC' | 'DESC' },
): Paging<SortField> {
  const perPage = args.perPage ?? 25;
  if (perPage < 1 || perPage > 1000) throw new DomainError(ErrorCode.Validation, 'perPage must be from 1 to 1000');
  const page = args.page ?? 0;
  if (page < 0) throw new DomainError(ErrorCode.Validation, 'page must be 0 or more');
  const sortField = (args.sortField ?? defaults.sortField) as SortField;
  if (!sortable.includes(sortField)) {
    throw new DomainError(ErrorCode.Validation, `sortField must be one of: ${sortable.join(', ')}`);
  }
  const sortOrder = (args.sortOrder ?? defaults.sortOrder).toUpperCase();
  if (sortOrder !== 'ASC' && sortOrder !== 'DESC') throw new DomainError(ErrorCode.Validation, 'sortOrder must be ASC or DESC');
  return { page, perPage, sortField, sortOrder };
}
