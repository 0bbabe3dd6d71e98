import { describe, expect, it } from 'vitest';
import type { FieldProblem, Score } from '../../../../server/src/modules/evals/dto/score';
import { validateScore, type ScoreValidationOptions } from '../../../../server/src/modules/evals/dto/validate-score';

// A frozen clock: defaults and the future-skew rule are measured from here.
const now = Date.parse('2026-03-02T10:00:00Z');
const minimal = { requestId: 'req-1', team: 'search', name: 'hhem-2.1', value: 0.82 };

function accepted(raw: unknown, options: ScoreValidationOptions = {}): Score {
  const result = validateScore(raw, { now, ...options });
  if ('problems' in result) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.score;
}

function problemsOf(raw: unknown, options: ScoreValidationOptions = {}): FieldProblem[] {
  const result = validateScore(raw, { now, ...options });
  if (!('problems' in result)) throw new Error(`accepted: ${JSON.stringify(result.score)}`);
  return result.problems;
}

describe('validateScore', () => {
  it('fills defaults: a generated id, source api, the evaluator from the name, the time of receipt', () => {
    const score = accepted(minimal);
    expect(score.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(score).toMatchObject({
      requestId: 'req-1', traceId: '', spanId: '', responseId: '', team: 'search', name: 'hhem-2.1', value: 0.82, label: '',
      source: 'api', evaluator: 'hhem-2.1', comment: '',
    });
    expect(score.timestamp.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('takes every value kind: number, boolean, label; and a label beside a number', () => {
    expect(accepted({ ...minimal, value: true }).value).toBe(true);
    expect(accepted({ ...minimal, value: 'hallucinated' }).value).toBe('hallucinated');
    expect(accepted({ ...minimal, value: 1, label: 'hallucinated' })).toMatchObject({ value: 1, label: 'hallucinated' });
    expect(problemsOf({ ...minimal, value: 'x', label: 'y' })).toEqual([{ field: 'label', message: 'may only accompany a numeric value' }]);
    expect(problemsOf({ ...minimal, value: [1] })).toEqual([{ field: 'value', message: 'must be a number, a boolean or a label, got an array' }]);
    expect(problemsOf({ ...minimal, value: null })[0]).toEqual({ field: 'value', message: 'is required: a number, a boolean or a label' });
    expect(problemsOf({ ...minimal, value: '  ' })[0]).toEqual({ field: 'value', message: 'must not be an empty label' });
  });

  it('names the request by trace and span (lowercased), or by response id', () => {
    const byTrace = accepted({ ...minimal, requestId: undefined, traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174' });
    expect(byTrace).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', requestId: '' });
    expect(accepted({ ...minimal, requestId: undefined, responseId: 'chatcmpl-1' }).responseId).toBe('chatcmpl-1');
    expect(problemsOf({ ...minimal, requestId: undefined })).toEqual([
      { field: 'requestId', message: 'is required: name the scored request by requestId, traceId + spanId, or responseId' },
    ]);
    expect(problemsOf({ ...minimal, traceId: '5b8efff798038103d269b633813fc60c' })).toEqual([
      { field: 'spanId', message: 'is required with traceId: a trace holds many requests' },
    ]);
    expect(problemsOf({ ...minimal, traceId: '0'.repeat(32), spanId: 'xyz' }).map((problem) => problem.field)).toEqual(['traceId', 'spanId']);
  });

  it('repairs a lone surrogate (a string cut mid-emoji) in the text it keeps', () => {
    const score = accepted({ ...minimal, comment: 'cut here \ud83d', value: 'bad \ud83d' });
    expect(score.comment).toBe('cut here \ufffd');
    expect(score.value).toBe('bad \ufffd');
  });

  it('takes the team from a team key, refusing another; needs one with an org-level key', () => {
    expect(accepted({ ...minimal, team: undefined }, { keyTeam: 'search' }).team).toBe('search');
    expect(accepted(minimal, { keyTeam: 'search' }).team).toBe('search');
    expect(problemsOf(minimal, { keyTeam: 'billing' })).toEqual([{ field: 'team', message: 'must be "billing" (the team of this key) or left out' }]);
    expect(problemsOf({ ...minimal, team: undefined }, { keyTeam: null })).toEqual([
      { field: 'team', message: 'is required with an organisation-level key (request ids are unique per team)' },
    ]);
  });

  it('checks source, name, timestamp and unknown fields, all at once', () => {
    const problems = problemsOf({ ...minimal, source: 'robot', name: '', timestamp: '2026-03-04T10:00:00Z', score: 3 });
    expect(problems).toEqual([
      { field: 'score', message: 'unknown field' },
      { field: 'name', message: 'is required' },
      { field: 'source', message: 'must be one of api, eval, human' },
      { field: 'timestamp', message: 'is more than 24 hours in the future' },
    ]);
    expect(problemsOf({ ...minimal, name: 'a\nb' })[0]).toEqual({ field: 'name', message: 'must be 1 to 128 printable characters, not starting with a space' });
    expect(problemsOf({ ...minimal, name: ' leading' })[0].field).toBe('name');
    expect(problemsOf({ ...minimal, name: 'x'.repeat(129) })[0]).toEqual({ field: 'name', message: 'must be at most 128 characters' });
    expect(accepted({ ...minimal, name: 'Answer Relevancy (LLM) – v2' }).name).toBe('Answer Relevancy (LLM) – v2');
    expect(problemsOf({ ...minimal, request_id: 'x' })[0]).toEqual({ field: 'request_id', message: 'unknown field (did you mean "requestId"?)' });
    expect(accepted({ ...minimal, timestamp: '2026-03-01T08:00:00' }).timestamp.toISOString()).toBe('2026-03-01T08:00:00.000Z');
  });
});
