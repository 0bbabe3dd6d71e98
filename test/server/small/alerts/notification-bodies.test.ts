import { describe, expect, it } from 'vitest';
import { slackBody, webhookBody, type AlertNotice } from '../../../../server/src/modules/alerts/delivery/notification-bodies';

const notice: AlertNotice = {
  alertId: '6f1c1f7e-0000-4000-8000-000000000001',
  rule: { id: '6f1c1f7e-0000-4000-8000-000000000002', name: 'GPU <hot> & loud', kind: 'gpu_hot' },
  state: 'firing',
  value: 91.5,
  threshold: 85,
  summary: 'gpu-node-1 GPU 0 reached 91.5 °C',
  startedAt: new Date('2026-11-11T10:00:00Z'),
  resolvedAt: null,
  labels: { node: 'gpu-node-1', gpu: 'GPU-1234' },
};

describe('notification bodies', () => {
  it('sends the generic webhook fields', () => {
    expect(webhookBody(notice)).toEqual({
      alert: notice.alertId,
      rule: notice.rule,
      state: 'firing',
      value: 91.5,
      threshold: 85,
      summary: notice.summary,
      startedAt: '2026-11-11T10:00:00.000Z',
      resolvedAt: null,
      labels: { node: 'gpu-node-1', gpu: 'GPU-1234' },
    });
    expect(webhookBody({ ...notice, state: 'resolved', resolvedAt: new Date('2026-11-11T11:00:00Z') })).toMatchObject({ state: 'resolved', resolvedAt: '2026-11-11T11:00:00.000Z' });
  });

  it('sends a Slack incoming-webhook body: text and blocks, user text escaped', () => {
    const body = slackBody(notice);
    expect(body.text).toBe(':rotating_light: FIRING GPU &lt;hot&gt; &amp; loud: gpu-node-1 GPU 0 reached 91.5 °C');
    expect(body.blocks.map((block) => (block as { type: string }).type)).toEqual(['section', 'section', 'context']);
    expect(JSON.stringify(body.blocks)).toContain('node=gpu-node-1');
    expect(JSON.stringify(body.blocks)).not.toContain('<hot>');
  });
});
