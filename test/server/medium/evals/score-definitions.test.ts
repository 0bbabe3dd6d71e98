import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreDefinitionsService } from '../../../../server/src/modules/evals/score-definitions.service';
import { defaultScoreDefinitions } from '../../../../server/src/modules/evals/scoring/default-score-definitions';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate, postEvents, postScores, requestEvent } from './evals-support';

const fields = 'id name description dataType minimum maximum direction threshold labels hallucinatedLabels origin';

describe('score definitions: the ScoreDefinition resource', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('ships the common evaluators\' definitions, seeded on first start', async () => {
    const answer = await testApp.graphql<{ allScoreDefinitions: Array<{ name: string; origin: string }>; _allScoreDefinitionsMeta: { count: number } }>(
      '{ allScoreDefinitions(perPage: 100, sortField: "name") { name origin } _allScoreDefinitionsMeta { count } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.allScoreDefinitions.map((row) => row.name)).toEqual(defaultScoreDefinitions.map((definition) => definition.name).sort());
    expect(new Set(answer.data!.allScoreDefinitions.map((row) => row.origin))).toEqual(new Set(['shipped']));
    expect(answer.data!._allScoreDefinitionsMeta.count).toBe(defaultScoreDefinitions.length);
  });

  it('does not seed a deleted shipped definition again on the next start', async () => {
    const listed = await testApp.graphql<{ allScoreDefinitions: Array<{ id: string }> }>('{ allScoreDefinitions(filter: { q: "opik" }) { id } }');
    const [opik] = listed.data!.allScoreDefinitions;
    const deleted = await testApp.graphql<{ deleteScoreDefinition: { name: string } }>('mutation($id: ID!) { deleteScoreDefinition(id: $id) { name } }', { id: opik.id });
    expect(deleted.data?.deleteScoreDefinition.name).toBe('opik.hallucination');
    // What a restart does on the same database.
    await testApp.app.get(ScoreDefinitionsService).onModuleInit();
    const after = await testApp.graphql<{ _allScoreDefinitionsMeta: { count: number }; allScoreDefinitions: unknown[] }>(
      '{ _allScoreDefinitionsMeta { count } allScoreDefinitions(filter: { q: "opik" }) { id } }',
    );
    expect(after.data).toEqual({ _allScoreDefinitionsMeta: { count: defaultScoreDefinitions.length - 1 }, allScoreDefinitions: [] });
  });

  it('creates, reads, updates and deletes a definition; scores of its name are then taken', async () => {
    const refused = await postScores(testApp, [{ id: 'g-1', requestId: 'r-1', team: 'support', name: 'groundedness.v2', value: 2 }]);
    expect(refused.body.rejected).toBe(1);

    const created = await testApp.graphql<{ createScoreDefinition: Record<string, unknown> }>(
      `mutation { createScoreDefinition(name: "groundedness.v2", dataType: "numeric", minimum: 1, maximum: 5, direction: "higher_is_better", threshold: 3, description: "our own judge") { ${fields} } }`,
    );
    expect(created.errors).toBeUndefined();
    const definition = created.data!.createScoreDefinition;
    expect(definition).toMatchObject({ name: 'groundedness.v2', dataType: 'numeric', minimum: 1, maximum: 5, direction: 'higher_is_better', threshold: 3, labels: [], origin: 'user' });
    const read = await testApp.graphql<{ ScoreDefinition: { name: string } }>('query($id: ID!) { ScoreDefinition(id: $id) { name } }', { id: definition.id });
    expect(read.data?.ScoreDefinition.name).toBe('groundedness.v2');

    await postEvents(testApp, [requestEvent('r-1')]);
    expect((await postScores(testApp, [{ id: 'g-1', requestId: 'r-1', team: 'support', name: 'groundedness.v2', value: 2 }])).body.accepted).toBe(1);
    const out = await postScores(testApp, [{ id: 'g-2', requestId: 'r-1', team: 'support', name: 'groundedness.v2', value: 6 }]);
    expect(out.body.results[0].errors).toEqual([{ field: 'value', message: '6 is outside [1, 5], the range of "groundedness.v2"' }]);
    expect(await hallucinationRate(testApp, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', ['EVALUATOR'])).toEqual([
      expect.objectContaining({ evaluator: 'groundedness.v2', requests: 1, scored: 1, hallucinated: 1 }),
    ]);

    // A threshold of 1.5 now passes a 2: scores received from now on are judged by it.
    const updated = await testApp.graphql<{ updateScoreDefinition: Record<string, unknown> }>(
      `mutation($id: ID!) { updateScoreDefinition(id: $id, threshold: 1.5) { ${fields} } }`,
      { id: definition.id },
    );
    expect(updated.data?.updateScoreDefinition).toMatchObject({ threshold: 1.5, minimum: 1, maximum: 5, description: 'our own judge' });
    const renamed = await testApp.graphql(`mutation($id: ID!) { updateScoreDefinition(id: $id, name: "other") { name } }`, { id: definition.id });
    expect(renamed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(renamed.errors?.[0].message).toContain('name: cannot change');

    const removed = await testApp.graphql('mutation($id: ID!) { deleteScoreDefinition(id: $id) { id } }', { id: definition.id });
    expect(removed.errors).toBeUndefined();
    const gone = await testApp.graphql('query($id: ID!) { ScoreDefinition(id: $id) { id } }', { id: definition.id });
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a bad definition with every problem named', async () => {
    const answer = await testApp.graphql(
      'mutation { createScoreDefinition(name: "bad", dataType: "numeric", minimum: 5, maximum: 1, threshold: 9) { id } }',
    );
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toBe('maximum: must be greater than minimum (5); direction: is required with a threshold: say whether higher or lower is better; threshold: must lie within the range (5 to 1)');
    const taken = await testApp.graphql('mutation { createScoreDefinition(name: "hhem-2.1", dataType: "numeric") { id } }');
    expect(taken.errors?.[0].message).toBe('A score definition named "hhem-2.1" already exists');
  });

  it('lets only admins change definitions; every role reads them', async () => {
    const viewer = (await testApp.signIn('viewer')).token;
    const write = await testApp.graphql('mutation { createScoreDefinition(name: "x", dataType: "boolean") { id } }', {}, viewer);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await testApp.graphql<{ _allScoreDefinitionsMeta: { count: number } }>('{ _allScoreDefinitionsMeta { count } }', {}, viewer);
    expect(read.data?._allScoreDefinitionsMeta.count).toBeGreaterThan(0);
  });

  it('adds a reviewer\'s score with createScore, exactly once by id, refusing out of range with the range', async () => {
    await postEvents(testApp, [requestEvent('reviewed-1', { team: 'legal' })]);
    const mutation = `mutation($id: String, $value: Float, $booleanValue: Boolean, $name: String!) {
      createScore(id: $id, team: "legal", requestId: "reviewed-1", name: $name, value: $value, booleanValue: $booleanValue, comment: "checked by hand") {
        id status team name hallucinated value booleanValue label } }`;
    const first = await testApp.graphql<{ createScore: Record<string, unknown> }>(mutation, { id: 'review-1', booleanValue: true, name: 'llm_judge.hallucination' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createScore).toEqual({ id: 'review-1', status: 'accepted', team: 'legal', name: 'llm_judge.hallucination', hallucinated: true, value: null, booleanValue: true, label: '' });
    const again = await testApp.graphql<{ createScore: { status: string } }>(mutation, { id: 'review-1', booleanValue: true, name: 'llm_judge.hallucination' });
    expect(again.data!.createScore.status).toBe('duplicate');
    const out = await testApp.graphql(mutation, { id: 'review-2', value: -1, name: 'ragas.faithfulness' });
    expect(out.errors?.[0]).toMatchObject({ message: 'value: -1 is outside [0, 1], the range of "ragas.faithfulness"', extensions: { code: 'BAD_USER_INPUT' } });
    const stored = await testApp.engines.clickhouse.query({ query: "SELECT source, api_key_id LIKE 'user:%' AS by_user FROM warden.scores WHERE id = 'review-1'", format: 'JSONEachRow' });
    expect(await stored.json()).toEqual([{ source: 'human', by_user: 1 }]);
  });
});

describe('auto-definition (WARDEN_SCORES_AUTO_DEFINE=true)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_SCORES_AUTO_DEFINE: 'true' });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('defines an unknown name from its first value, flags nothing until it has a direction, and holds later scores to the type', async () => {
    await postEvents(testApp, [requestEvent('auto-1'), requestEvent('auto-2')]);
    const answer = await postScores(testApp, [
      { id: 's-1', requestId: 'auto-1', team: 'support', name: 'tone.friendliness', value: 0.4 },
      { id: 's-2', requestId: 'auto-2', team: 'support', name: 'tone.friendliness', value: 'warm' },
    ]);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(answer.body.results[1].errors).toEqual([{ field: 'value', message: 'must be a number: "tone.friendliness" is a numeric score' }]);
    const defined = await testApp.graphql<{ allScoreDefinitions: Array<Record<string, unknown>> }>(
      '{ allScoreDefinitions(filter: { origin: "auto" }) { name dataType minimum maximum direction threshold origin } }',
    );
    expect(defined.data!.allScoreDefinitions).toEqual([
      { name: 'tone.friendliness', dataType: 'numeric', minimum: null, maximum: null, direction: null, threshold: null, origin: 'auto' },
    ]);
    expect(await hallucinationRate(testApp, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', [])).toEqual([expect.objectContaining({ requests: 2, scored: 0 })]);
  });
});
