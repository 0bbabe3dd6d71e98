import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../../../server/src/modules/compliance/exports/csv';
import { countRecords, windowsOf } from '../../../../server/src/modules/compliance/exports/exports.service';
import { renderComplianceReport } from '../../../../server/src/modules/compliance/exports/report-html';
import { cutoffOf, HOLD_RETENTION_DAYS, planTeamRetention } from '../../../../server/src/modules/retention/retention-plan';

const hour = (index: number) => new Date(Date.UTC(2026, 10, 1, index));

describe('CSV fields', () => {
  it('quotes what needs quoting, doubles quotes, and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvField({ email: 2 })).toBe('"{""email"":2}"');
    expect(csvLine(['a', 1, true])).toBe('a,1,true\r\n');
  });

  it('counts records, not the line breaks inside quoted fields', () => {
    expect(countRecords('"a","b\r\nc"\r\n"d",""""\r\n')).toBe(2);
    expect(countRecords('')).toBe(0);
  });
});

describe('export windows', () => {
  it('cuts the range where the next interval would overflow a page, covering the whole range', () => {
    const intervals = [0, 1, 2, 5].map((index) => ({ start: hour(index), end: hour(index + 1), rows: 600 }));
    expect(windowsOf(intervals, 1000, hour(0), hour(10))).toEqual([
      { from: hour(0), to: hour(1) },
      { from: hour(1), to: hour(2) },
      { from: hour(2), to: hour(5) },
      { from: hour(5), to: hour(10) },
    ]);
    expect(windowsOf(intervals, 5000, hour(0), hour(10))).toEqual([{ from: hour(0), to: hour(10) }]);
    expect(windowsOf([], 1000, hour(0), hour(3))).toEqual([{ from: hour(0), to: hour(3) }]);
  });

  it('keeps an interval larger than a page as a window alone', () => {
    const intervals = [{ start: hour(0), end: hour(1), rows: 10 }, { start: hour(1), end: hour(2), rows: 5000 }, { start: hour(2), end: hour(3), rows: 10 }];
    expect(windowsOf(intervals, 1000, hour(0), hour(3))).toEqual([
      { from: hour(0), to: hour(1) },
      { from: hour(1), to: hour(2) },
      { from: hour(2), to: hour(3) },
    ]);
  });
});

describe('retention plan', () => {
  const options = { held: false, floorDays: 180, defaultDays: 365 };

  it('takes the policy, never under the floor, content never longer than its row', () => {
    expect(planTeamRetention({ requestsDays: 200, contentDays: 30, scoresDays: 90 }, options)).toEqual({
      held: false,
      requests: { deleteAfterDays: 200, stampDays: 200 },
      content: { deleteAfterDays: 30, stampDays: 30 },
      scores: { deleteAfterDays: 90, stampDays: 90 },
    });
    expect(planTeamRetention({ requestsDays: 30, contentDays: 400 }, options)).toMatchObject({
      requests: { deleteAfterDays: 180 },
      content: { deleteAfterDays: 180 },
      scores: { deleteAfterDays: 365 },
    });
    expect(planTeamRetention({}, { ...options, defaultDays: 90 })).toMatchObject({ requests: { deleteAfterDays: 180 }, content: { deleteAfterDays: null, stampDays: 0 } });
  });

  it('removes nothing under a legal hold and stamps rows past any TTL', () => {
    expect(planTeamRetention({ requestsDays: 200, contentDays: 30 }, { ...options, held: true })).toEqual({
      held: true,
      requests: { deleteAfterDays: null, stampDays: HOLD_RETENTION_DAYS },
      scores: { deleteAfterDays: null, stampDays: HOLD_RETENTION_DAYS },
      content: { deleteAfterDays: null, stampDays: 0 },
    });
    // A row stored today and stamped for the hold stays inside ClickHouse's DateTime range (up to 2106-02-07).
    expect(new Date(Date.UTC(2030, 0, 1) + HOLD_RETENTION_DAYS * 86_400_000).getUTCFullYear()).toBeLessThan(2106);
    expect(cutoffOf(new Date('2026-11-30T00:00:00Z'), 30).toISOString()).toBe('2026-10-31T00:00:00.000Z');
  });
});

describe('compliance report', () => {
  it('renders the figures as one printable page, escaping every name', () => {
    const html = renderComplianceReport({
      from: hour(0),
      to: hour(24),
      teams: ['<claims>'],
      generatedAt: hour(30),
      generatedBy: 'officer@example.com',
      decisions: {
        decisions: 10, allowed: 8, denied: 2,
        timeline: [{ bucket: hour(0), decisions: 10, allowed: 8, denied: 2 }],
        denialTimeline: [{ bucket: hour(0), reason: 'model_not_allowed', denied: 2 }],
        denials: [{ team: '<claims>', model: 'gpt-4o', reason: 'model_not_allowed', denied: 2 }],
        byReason: [{ key: 'model_not_allowed', denied: 2 }], byTeam: [{ key: '<claims>', denied: 2 }], byModel: [{ key: 'gpt-4o', denied: 2 }],
      },
      personalData: [{ team: '<claims>', detector: 'email', action: 'mask', outcome: 'masked', requests: 3, findings: 4, onPremises: 1 }],
      locality: [
        { team: '<claims>', requests: 4, onPremises: 1, external: 3, onPremisesShare: 0.25, withPersonalData: 3, personalDataOnPremises: 1, personalDataExternal: 2, personalDataOnPremisesShare: 1 / 3 },
        { team: null, requests: 4, onPremises: 1, external: 3, onPremisesShare: 0.25, withPersonalData: 3, personalDataOnPremises: 1, personalDataExternal: 2, personalDataOnPremisesShare: 1 / 3 },
      ],
      retention: [{ dataClass: 'requests', team: '<claims>', node: null, policyDays: 200, held: false, oldestKept: hour(0), rowsKept: 4, withinPolicy: true, lastSweepAt: hour(1), lastSweepRows: 0, receipts: 2 }],
      auditChain: { valid: false, checkedRows: 41, firstBrokenSequence: '42', firstBrokenId: null, reason: 'row 42 was altered', verifiedAt: hour(30) },
      flaggedNodes: [{ node: 'gpu-a', models: ['qwen2.5-72b'], location: 'on-premises', checkedAt: hour(29) }],
      legalHolds: [{ team: '<claims>', reason: 'litigation', placedAt: hour(2), placedBy: 'user:officer@example.com' }],
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toContain('<claims>');
    expect(html).toContain('&lt;claims&gt;');
    expect(html).toContain('Chain broken at entry 42: row 42 was altered');
    expect(html).toContain('25.0 %');
    expect(html).toContain('33.3 %');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('@media print');
    expect(html).toContain('qwen2.5-72b');
    expect(html).not.toContain('<script');
  });
});
