import { describe, expect, it } from 'vitest';
import { buildChargebackReport, chargebackCsv, chargebackHtml } from '../../../../server/src/modules/chargeback/chargeback-report';
import type { SpendRowModel } from '../../../../server/src/modules/usage/models/spend.model';

const row = (fields: Partial<SpendRowModel>): SpendRowModel => ({
  team: null, model: null, provider: null, node: null, user: null, day: null, hour: null, requests: 1, errors: 0, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0,
  costUsd: 0, costNanoUsd: '0', unpricedRequests: 0, latencyP50Ms: null, latencyP95Ms: null,
  onPremCostUsd: '0', onPremCostNanoUsd: '0', totalCostUsd: '0', totalCostNanoUsd: '0', estimated: false, idle: false, ...fields,
});

describe('chargeback report', () => {
  const report = buildChargebackReport(
    '2026-03',
    { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') },
    [row({ team: '=cmd|evil', provider: 'openai', model: 'gpt-4o, mini', costNanoUsd: '1234567891' }), row({ team: 'ml', provider: 'vllm', model: 'llama', costNanoUsd: '0' })],
    [row({ team: 'ml', node: 'gpu-a', onPremCostNanoUsd: '2000000001' }), row({ team: 'ml', node: 'gpu-b', idle: true, requests: 0, onPremCostNanoUsd: '5' })],
    new Date('2026-04-01T08:00:00Z'),
  );

  it('per team: API lines, on-prem and idle lines and the total; nothing-cost lines left out', () => {
    expect(report.teams.map((team) => [team.team, team.apiCostNanoUsd, team.onPremCostNanoUsd, team.idleCostNanoUsd, team.totalCostNanoUsd])).toEqual([
      ['ml', '0', '2000000001', '5', '2000000006'],
      ['=cmd|evil', '1234567891', '0', '0', '1234567891'],
    ]);
    expect(report.totalCostNanoUsd).toBe('3234567897');
  });

  it('writes exact amounts, quotes separators and neutralises formulas in the CSV', () => {
    expect(chargebackCsv(report).split('\r\n')).toEqual([
      'month,team,category,provider,model,node,requests,input_tokens,output_tokens,cost_usd',
      '2026-03,ml,on-prem,,,gpu-a,1,10,5,2.000000001',
      '2026-03,ml,idle,,,gpu-b,0,0,0,0.000000005',
      '2026-03,ml,total,,,,,,,2.000000006',
      `2026-03,'=cmd|evil,api,openai,"gpt-4o, mini",,1,10,5,1.234567891`,
      `2026-03,'=cmd|evil,total,,,,,,,1.234567891`,
      '',
    ]);
  });

  it('prints HTML to the cent with every name escaped', () => {
    const html = chargebackHtml(report);
    expect(html).toContain('<h2>=cmd|evil</h2>');
    expect(html).toContain('$2.00');
    expect(html).toContain('<strong>Total: $3.23</strong>');
    expect(chargebackHtml({ ...report, teams: [{ ...report.teams[0], team: '<script>' }] })).toContain('<h2>&#60;script&#62;</h2>');
  });
});
