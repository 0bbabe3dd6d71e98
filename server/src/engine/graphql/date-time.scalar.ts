import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ValueNode } from 'graphql';
import { readIsoInstant } from '../validation/timestamps';

/** A DateTime argument that is not an instant: mapped to BAD_USER_INPUT naming the argument (error-mapping.ts). */
export class InvalidDateTimeError extends Error {
  constructor(
    readonly value: string,
    readonly problem: string,
  ) {
    super(`${value} is not a valid DateTime: ${problem}`);
    this.name = 'InvalidDateTimeError';
  }
}

export function parseDateTimeInput(value: unknown): Date {
  if (typeof value !== 'string') throw new InvalidDateTimeError(JSON.stringify(value) ?? String(value), 'expected an ISO-8601 string');
  const reading = readIsoInstant(value, { withoutZone: 'refuse', dateOnly: true });
  if ('problem' in reading) throw new InvalidDateTimeError(JSON.stringify(value), reading.problem);
  return reading.date;
}

export function serializeDateTime(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string') {
    // A stored instant read back as text (ClickHouse answers ISO-8601, sometimes without the zone: it is UTC).
    const reading = readIsoInstant(value, { withoutZone: 'utc', dateOnly: true });
    if ('date' in reading) return reading.date.toISOString();
  }
  throw new TypeError(`DateTime cannot represent ${String(value)}`);
}

/**
 * `DateTime` for every `Date` argument and field (a class scalar for `Date` replaces @nestjs/graphql's
 * GraphQLISODateTime, which handed `new Date(anything)` to resolvers: garbage became Invalid Date and a 500,
 * 2026-02-30 became 2 March). Accepts an ISO-8601 date-time with a zone (2026-03-01T10:00:00Z, …+02:00) or a plain
 * date (2026-03-01, midnight UTC); refuses a zoneless date-time and any date the calendar does not have.
 * Answered as ISO-8601 in UTC. Nest builds the GraphQLScalarType itself, so it shares graphql-js with the schema.
 */
@Scalar('DateTime', () => Date)
export class StrictDateTimeScalar implements CustomScalar<string, Date> {
  description =
    'An instant: ISO-8601 date-time with a zone (2026-03-01T10:00:00Z, 2026-03-01T12:00:00+02:00) or a date (2026-03-01, midnight UTC). Always answered in UTC.';

  parseValue(value: unknown): Date {
    return parseDateTimeInput(value);
  }

  serialize(value: unknown): string {
    return serializeDateTime(value);
  }

  parseLiteral(node: ValueNode): Date {
    return parseDateTimeInput(node.kind === Kind.STRING ? node.value : node.kind === Kind.NULL ? null : `(${node.kind})`);
  }
}
