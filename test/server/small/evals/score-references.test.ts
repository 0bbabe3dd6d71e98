import { describe, expect, it } from 'vitest';
import { scoreReferences } from '../../../../server/src/modules/evals/score-references';
import { scoreColumns, serializeScoreRow, type ScoreRow } from '../../../../server/src/modules/evals/score-row';

describe('how a score names its request', () => {
  it('writes each reference it carries in the texts the requests are read with', () => {
    expect(scoreReferences({ requestId: 'req-1', traceId: '', spanId: '', responseId: '' })).toEqual(['id:req-1']);
    expect(scoreReferences({ requestId: '', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', responseId: 'chatcmpl-1' })).toEqual([
      'span:0af7651916cd43dd8448eb211c80319cb7ad6b7169203331',
      'response:chatcmpl-1',
    ]);
    // A trace id alone is no reference: a trace holds many requests.
    expect(scoreReferences({ requestId: '', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '', responseId: '' })).toEqual([]);
  });

  it('serialises a row field by field, in column order', () => {
    const row: ScoreRow = {
      team: 'support', id: 's-1', request_id: 'r-1', trace_id: '', span_id: '', response_id: '', refs: ['id:r-1'], name: 'hhem-2.1',
      data_type: 'numeric', numeric_value: 0.12, boolean_value: null, label: '', source: 'api', evaluator: 'hhem-2.1', comment: 'say "no"\n',
      timestamp: '2026-03-02 10:00:00.000', hallucinated: 1, api_key_id: 'k', retention_days: 365, ingested_at: '2026-03-02 10:00:01.000',
    };
    expect(JSON.parse(serializeScoreRow(row))).toEqual(scoreColumns.map((column) => row[column]));
  });
});
