import type { AlertChannelKind } from '../alert.entities';

/** What a notification is about: one transition of one alert (or a channel test). */
export interface AlertNotice {
  alertId: string;
  rule: { id: string; name: string; kind: string };
  state: 'firing' | 'resolved' | 'test';
  value: number;
  threshold: number;
  summary: string;
  startedAt: Date;
  resolvedAt: Date | null;
  labels: Record<string, string>;
}

/** The generic webhook body: one JSON object per transition (README "Alerts" documents each field). */
export function webhookBody(notice: AlertNotice): Record<string, unknown> {
  return {
    alert: notice.alertId,
    rule: notice.rule,
    state: notice.state,
    value: finiteOrNull(notice.value),
    threshold: finiteOrNull(notice.threshold),
    summary: notice.summary,
    startedAt: notice.startedAt.toISOString(),
    resolvedAt: notice.resolvedAt ? notice.resolvedAt.toISOString() : null,
    labels: notice.labels,
  };
}

const stateHeadings: Record<AlertNotice['state'], string> = {
  firing: ':rotating_light: FIRING',
  resolved: ':white_check_mark: RESOLVED',
  test: ':wave: TEST',
};

/** Slack's mrkdwn treats these three as markup; everything a user wrote is escaped before it goes in. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming-webhook body (also taken by Mattermost and Rocket.Chat): `text` is the fallback shown in
 * notifications, `blocks` the message.
 */
export function slackBody(notice: AlertNotice): { text: string; blocks: unknown[] } {
  const heading = `${stateHeadings[notice.state]} ${slackEscape(notice.rule.name)}`;
  const labels = Object.entries(notice.labels).map(([key, value]) => `${slackEscape(key)}=${slackEscape(value)}`);
  const times = [`started ${notice.startedAt.toISOString()}`, notice.resolvedAt ? `resolved ${notice.resolvedAt.toISOString()}` : null].filter(Boolean).join(' · ');
  return {
    text: `${heading}: ${slackEscape(notice.summary)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${heading}*\n${slackEscape(notice.summary)}` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Kind*\n${slackEscape(notice.rule.kind)}` },
          { type: 'mrkdwn', text: `*Value / threshold*\n${formatNumber(notice.value)} / ${formatNumber(notice.threshold)}` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: [times, ...labels].join(' · ') || ' ' }] },
    ],
  };
}

export function bodyFor(kind: AlertChannelKind, notice: AlertNotice): unknown {
  return kind === 'slack' ? slackBody(notice) : webhookBody(notice);
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/0+$/, '');
}
