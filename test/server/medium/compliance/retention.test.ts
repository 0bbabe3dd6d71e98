import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_RETENTION_DAYS } from '../../../../server/src/modules/retention/retention-plan';
import { startTestApp, type SignedInUser, type TestApp } from '../../../support/test-app';
import { unique } from '../policies/policy-test-support';
import { clickhouseRows, daysAgo, ingest, putPolicy, waitForJob } from './compliance-support';

interface TeamRows {
  rows: string;
  with_content: string;
  oldest: string;
  stamped: string[];
  content_stamped: string[];
}

// The retention sweep on real engines: rows stored under one policy, the policy shortened, the sweep run. Rows past
// requestsDays are deleted, content past contentDays emptied (the rows stay), stored rows re-stamped so the TTL
// follows the new policy, one receipt per class and team; a team under legal hold keeps everything until released.
describe('retention sweep and legal holds', () => {
  let testApp: TestApp;
  let compliance: SignedInUser;
  const claims = unique('claims');
  const legal = unique('legal');
  const now = Date.now();

  const eventsFor = (team: string) =>
    [
      { days: 300, id: 'old' },
      { days: 100, id: 'middle' },
      { days: 2, id: 'recent' },
    ].map(({ days, id }) => ({
      id: `${team}-${id}`,
      timestamp: daysAgo(days, now).toISOString(),
      team,
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 10,
      outputTokens: 5,
      prompt: `prompt of ${id}`,
      completion: `completion of ${id}`,
    }));

  async function teamRows(team: string): Promise<TeamRows> {
    const [row] = await clickhouseRows<TeamRows>(
      testApp,
      `SELECT count() AS rows, countIf(prompt != '' OR completion != '') AS with_content, toString(min(timestamp)) AS oldest,
              groupUniqArray(toString(retention_days)) AS stamped, groupUniqArray(toString(content_retention_days)) AS content_stamped
       FROM warden.requests FINAL WHERE team = {team:String}`,
      { team },
    );
    return row;
  }

  async function sweep(): Promise<void> {
    const answer = await testApp.graphql<{ runRetentionSweep: { id: string } }>('mutation { runRetentionSweep { id state } }');
    expect(answer.errors).toBeUndefined();
    expect((await waitForJob(testApp, answer.data!.runRetentionSweep.id)).state).toBe('completed');
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    compliance = await testApp.signIn('compliance');
    await ingest(testApp, [...eventsFor(claims), ...eventsFor(legal)]);
    // Stored with the server's 3650 days; the policies written afterwards are shorter.
    for (const team of [claims, legal]) {
      await putPolicy(testApp, { name: `retention-${team}`, scope: { team }, retention: { requestsDays: 200, contentDays: 30, scoresDays: 365 } });
    }
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('deletes rows past requestsDays, empties content past contentDays, and re-stamps the rest', async () => {
    const hold = await testApp.graphql<{ placeLegalHold: { id: string; active: boolean; team: string } }>(
      'mutation ($team: String!, $reason: String!) { placeLegalHold(team: $team, reason: $reason) { id active team placedBy } }',
      { team: legal, reason: 'Litigation 2026-17: preserve every record' },
      compliance.token,
    );
    expect(hold.errors).toBeUndefined();
    expect(hold.data!.placeLegalHold).toMatchObject({ active: true, team: legal });

    await sweep();

    const swept = await teamRows(claims);
    expect(Number(swept.rows)).toBe(2);
    expect(Number(swept.with_content)).toBe(1);
    expect(swept.stamped).toEqual(['200']);
    expect(swept.content_stamped).toEqual(['30']);
    const [kept] = await clickhouseRows<{ prompt: string; completion: string; input_tokens: string }>(
      testApp,
      `SELECT prompt, completion, toString(input_tokens) AS input_tokens FROM warden.requests FINAL WHERE team = {team:String} AND id = {id:String}`,
      { team: claims, id: `${claims}-middle` },
    );
    expect(kept).toEqual({ prompt: '', completion: '', input_tokens: '10' });

    // Held: nothing deleted or emptied, and stamped so that no TTL removes the rows while the hold lasts.
    const held = await teamRows(legal);
    expect(Number(held.rows)).toBe(3);
    expect(Number(held.with_content)).toBe(3);
    expect(held.stamped).toEqual([String(HOLD_RETENTION_DAYS)]);
    expect(held.content_stamped).toEqual(['0']);

    const status = await testApp.graphql<{ retentionStatus: Array<Record<string, unknown>> }>(
      '{ retentionStatus { dataClass team node policyDays held oldestKept rowsKept withinPolicy lastSweepAt lastSweepRows receipts } }',
      undefined,
      compliance.token,
    );
    expect(status.errors).toBeUndefined();
    const of = (dataClass: string, team: string) => status.data!.retentionStatus.find((row) => row.dataClass === dataClass && row.team === team);
    expect(of('requests', claims)).toMatchObject({ policyDays: 200, held: false, rowsKept: 2, withinPolicy: true, lastSweepRows: 1, receipts: 1 });
    expect(of('content', claims)).toMatchObject({ policyDays: 30, held: false, rowsKept: 1, withinPolicy: true, lastSweepRows: 1, receipts: 1 });
    expect(new Date(of('content', claims)!.oldestKept as string).getTime()).toBe(daysAgo(2, now).getTime());
    expect(of('requests', legal)).toMatchObject({ policyDays: 200, held: true, rowsKept: 3, receipts: 0, lastSweepRows: 0 });
    expect(of('requests', legal)!.lastSweepAt).not.toBeNull();

    // A sweep with nothing left to remove writes no second receipt.
    await sweep();
    const again = await testApp.graphql<{ retentionStatus: Array<Record<string, unknown>> }>('{ retentionStatus { dataClass team receipts lastSweepRows } }');
    expect(again.data!.retentionStatus.find((row) => row.dataClass === 'requests' && row.team === claims)).toMatchObject({ receipts: 1, lastSweepRows: 0 });

    // Released: the policy applies to the team again, at once.
    const released = await testApp.graphql<{ releaseLegalHold: { active: boolean; releasedBy: string } }>(
      'mutation ($id: ID!) { releaseLegalHold(id: $id) { active releasedBy } }',
      { id: hold.data!.placeLegalHold.id },
      compliance.token,
    );
    expect(released.errors).toBeUndefined();
    expect(released.data!.releaseLegalHold).toEqual({ active: false, releasedBy: `user:${compliance.email}` });
    await sweep();
    const afterRelease = await teamRows(legal);
    expect(Number(afterRelease.rows)).toBe(2);
    expect(Number(afterRelease.with_content)).toBe(1);
    expect(afterRelease.stamped).toEqual(['200']);

    // Every deletion has its receipt in the audit log (data class, team, range, rows), beside the hold's place and release.
    const entries = (await testApp.engines.postgres.query(
      `SELECT action, team, details FROM audit_log WHERE team IN ($1, $2) AND action IN ('retention.sweep', 'legalHold.place', 'legalHold.release') ORDER BY sequence`,
      [claims, legal],
    )) as Array<{ action: string; team: string; details: Record<string, unknown> | null }>;
    expect(entries.map((entry) => `${entry.action} ${entry.team === claims ? 'claims' : 'legal'} ${entry.details?.dataClass ?? ''}`)).toEqual([
      'legalHold.place legal ',
      'retention.sweep claims requests',
      'retention.sweep claims content',
      'legalHold.release legal ',
      'retention.sweep legal requests',
      'retention.sweep legal content',
    ]);
    expect(entries[1].details).toMatchObject({ dataClass: 'requests', team: claims, rows: 1, from: daysAgo(300, now).toISOString(), to: daysAgo(300, now).toISOString(), policyDays: 200 });
    expect(entries[2].details).toMatchObject({ dataClass: 'content', rows: 1, from: daysAgo(100, now).toISOString(), policyDays: 30 });

    const holds = await testApp.graphql<{ allLegalHolds: Array<{ team: string; active: boolean }> }>('{ allLegalHolds { team active } }', undefined, compliance.token);
    expect(holds.data!.allLegalHolds).toContainEqual({ team: legal, active: false });
    const active = await testApp.graphql<{ allLegalHolds: unknown[] }>('{ allLegalHolds(activeOnly: true) { id } }', undefined, compliance.token);
    expect(active.data!.allLegalHolds).toEqual([]);
  });

  it('refuses a hold without a reason, a second release, and the roles that may not hold or sweep', async () => {
    const bad = await testApp.graphql('mutation { placeLegalHold(team: "claims", reason: " ") { id } }', undefined, compliance.token);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('reason');
    const hold = await testApp.graphql<{ placeLegalHold: { id: string } }>('mutation { placeLegalHold(team: "x", reason: "why") { id } }');
    const id = hold.data!.placeLegalHold.id;
    expect((await testApp.graphql(`mutation { releaseLegalHold(id: "${id}") { id } }`)).errors).toBeUndefined();
    const twice = await testApp.graphql(`mutation { releaseLegalHold(id: "${id}") { id } }`);
    expect(twice.errors?.[0].message).toContain('already released');
    expect((await testApp.graphql('mutation { releaseLegalHold(id: "nope") { id } }')).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const sweepByCompliance = await testApp.graphql('mutation { runRetentionSweep { id } }', undefined, compliance.token);
    expect(sweepByCompliance.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const role of ['finance', 'sre', 'viewer'] as const) {
      const user = await testApp.signIn(role);
      for (const query of ['{ retentionStatus { team } }', '{ allLegalHolds { id } }', 'mutation { placeLegalHold(team: "x", reason: "y") { id } }', 'mutation { runRetentionSweep { id } }']) {
        const answer = await testApp.graphql(query, undefined, user.token);
        expect(answer.errors?.[0].extensions?.code, `${role}: ${query}`).toBe('FORBIDDEN');
      }
    }
  });
});
