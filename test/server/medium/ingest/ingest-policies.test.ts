import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

const event = (id: string, team: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp: new Date(Date.now() - 3600_000).toISOString(),
  team,
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 100,
  outputTokens: 20,
  ...extra,
});

describe("ingest applies each team's policy before anything is stored", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
    const policy = {
      name: 'claims',
      scope: { team: 'claims' },
      retention: { requestsDays: 200, contentDays: 30 },
      pii: { detectors: { email: 'mask', cn_resident_id: 'block' }, keepOnPremises: false },
    };
    const written = await fetch(`${testApp.baseUrl}/api/v1/policies/claims`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.sessionToken}` },
      body: JSON.stringify(policy),
    });
    expect(written.status, await written.clone().text()).toBe(200);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  async function storedRow(team: string, id: string) {
    const result = await testApp.engines.clickhouse.query({
      query: `SELECT prompt, completion, pii_findings, pii_action, retention_days, content_retention_days
              FROM ${testApp.engines.config.clickhouse.database}.requests FINAL WHERE team = {team:String} AND id = {id:String}`,
      query_params: { team, id },
      format: 'JSONEachRow',
    });
    return (await result.json<Record<string, unknown>>())[0];
  }

  it('masks personal data by the policy, records which detectors fired (counts only), and stamps its retention', async () => {
    const answer = await postEvents(testApp, [
      event('mask-1', 'claims', { prompt: 'Write to ana@example.com and bo@example.org, then ana@example.com again', completion: 'Done: ana@example.com' }),
    ]);
    expect(answer.body).toMatchObject({ accepted: 1 });
    expect(await storedRow('claims', 'mask-1')).toEqual({
      prompt: 'Write to [EMAIL_1] and [EMAIL_2], then [EMAIL_1] again',
      completion: 'Done: [EMAIL_1]',
      pii_findings: { email: 4 },
      pii_action: 'mask',
      retention_days: 200,
      content_retention_days: 30,
    });
  });

  it('keeps no content of a request whose text a detector set to block, and still counts the request', async () => {
    const answer = await postEvents(testApp, [event('block-1', 'claims', { prompt: 'My resident id is 11010519491231002X', completion: 'Noted.' })]);
    expect(answer.body).toMatchObject({ accepted: 1 });
    expect(await storedRow('claims', 'block-1')).toMatchObject({ prompt: '', completion: '', pii_findings: { cn_resident_id: 1 }, pii_action: 'block' });
    const spend = await testApp.graphql<{ spend: Array<{ requests: number }> }>(
      'query Spend($from: DateTime!, $to: DateTime!) { spend(from: $from, to: $to, groupBy: [], filter: { team: "claims" }) { requests } }',
      { from: new Date(Date.now() - 2 * 86_400_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() },
    );
    expect(spend.data?.spend[0].requests).toBe(2);
  });

  it("stores another team's content as sent, with the server's default retention", async () => {
    await postEvents(testApp, [event('plain-1', 'search', { prompt: 'mail ana@example.com' })]);
    expect(await storedRow('search', 'plain-1')).toMatchObject({ prompt: 'mail ana@example.com', pii_findings: {}, pii_action: '', retention_days: 3650, content_retention_days: 0 });
  });

  it('refuses an event older than the policy retention, by name', async () => {
    const answer = await postEvents(testApp, [event('too-old', 'claims', { timestamp: new Date(Date.now() - 250 * 86_400_000).toISOString() })]);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('older than the 200-day retention');
  });
});
