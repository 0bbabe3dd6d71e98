import { describe, expect, it } from 'vitest';
import { parseTimestamp, readIsoInstant, type InstantRules } from '../../../../server/src/engine/validation/timestamps';

const graphqlRules: InstantRules = { withoutZone: 'refuse', dateOnly: true };

function instant(text: string, rules: InstantRules = graphqlRules): string {
  const reading = readIsoInstant(text, rules);
  return 'date' in reading ? reading.date.toISOString() : `refused: ${reading.problem}`;
}

describe('readIsoInstant', () => {
  it('refuses dates the calendar does not have instead of rolling them into the next month', () => {
    expect(instant('2026-02-30')).toBe('refused: February 2026 has no day 30');
    expect(instant('2026-02-29T00:00:00Z')).toBe('refused: February 2026 has no day 29');
    expect(instant('2026-04-31T10:00:00Z')).toBe('refused: April 2026 has no day 31');
    expect(instant('2100-02-29')).toBe('refused: February 2100 has no day 29');
    expect(instant('2026-13-01')).toBe('refused: there is no month 13');
    expect(instant('2026-00-10')).toBe('refused: there is no month 00');
    expect(instant('2026-01-00')).toBe('refused: January 2026 has no day 00');
    expect(instant('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(instant('2000-02-29T12:00:00Z')).toBe('2000-02-29T12:00:00.000Z');
  });

  it('refuses times the clock does not have', () => {
    expect(instant('2026-01-01T24:00:00Z')).toMatch(/^refused: 24:00:00 is not a time of day/);
    expect(instant('2026-01-01T23:60:00Z')).toMatch(/^refused: 23:60:00 is not a time of day/);
    expect(instant('2026-06-30T23:59:60Z')).toMatch(/^refused: 23:59:60 is not a time of day/);
    expect(instant('2026-01-01T10:00:00+24:00')).toBe('refused: zone +24:00 is not a UTC offset');
  });

  it('reads zones, fractions and plain dates exactly', () => {
    expect(instant('2026-03-01T12:30:00+02:00')).toBe('2026-03-01T10:30:00.000Z');
    expect(instant('2026-03-01T12:30:00+0530')).toBe('2026-03-01T07:00:00.000Z');
    expect(instant('2026-03-01T00:30-01')).toBe('2026-03-01T01:30:00.000Z');
    expect(instant('2026-03-01T10:00:00.123456789z')).toBe('2026-03-01T10:00:00.123Z');
    expect(instant('2026-03-01t10:00:00.5Z')).toBe('2026-03-01T10:00:00.500Z');
    expect(instant('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    // Years below 100 stay themselves (Date.UTC would read 0099 as 1999).
    expect(instant('0099-01-01')).toBe('0099-01-01T00:00:00.000Z');
  });

  it('refuses what JavaScript would guess at', () => {
    for (const text of ['March 1, 2026', '2026-3-1', '2026/03/01', '1740787200000', '2026-03-01 10:00:00Z', '2026-03-01T10Z', '', ' 2026-03-01']) {
      expect(instant(text), text).toMatch(/^refused: expected ISO-8601/);
    }
  });

  it('applies the zone and date-only rules it is given', () => {
    expect(instant('2026-03-01T10:00:00')).toBe('refused: a date-time needs a zone (Z or an offset such as +02:00)');
    expect(instant('2026-03-01T10:00:00', { withoutZone: 'utc', dateOnly: false })).toBe('2026-03-01T10:00:00.000Z');
    expect(instant('2026-03-01', { withoutZone: 'utc', dateOnly: false })).toBe('refused: expected a date and a time, e.g. 2026-03-01T10:00:00Z');
  });
});

describe('parseTimestamp (ingest and GPU samples)', () => {
  it('reads a zoneless date-time as UTC and gives Invalid Date for anything the calendar or clock lacks', () => {
    expect(parseTimestamp('2026-03-01T10:00:00').toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(parseTimestamp('2026-03-01T10:00:00Z').toISOString()).toBe('2026-03-01T10:00:00.000Z');
    for (const text of ['2026-02-30T10:00:00Z', '2026-02-29T00:00:00', '2026-01-01T24:00:00Z', '2026-03-01', 'yesterday']) {
      expect(Number.isNaN(parseTimestamp(text).getTime()), text).toBe(true);
    }
  });
});
