import * as crypto from 'node:crypto';
import type { AlertChannelEntity } from '../alert.entities';

/** One attempt takes at most this long: a receiver that hangs is a failed attempt, retried later. */
export const deliveryTimeoutMs = 10_000;

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/**
 * POSTs one body to a channel. Success is a 2xx answer; anything else (status, refused connection, timeout) is a
 * failure described in a line short enough to keep. Redirects are not followed: a webhook that moved is reported.
 */
export async function sendToChannel(channel: Pick<AlertChannelEntity, 'url' | 'secret' | 'kind'>, body: unknown, headers: Record<string, string> = {}): Promise<SendOutcome> {
  const text = JSON.stringify(body);
  const signed: Record<string, string> = channel.kind === 'webhook' && channel.secret ? { 'x-warden-signature': `sha256=${crypto.createHmac('sha256', channel.secret).update(text).digest('hex')}` } : {};
  try {
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Warden-Alerts/1', ...headers, ...signed },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(deliveryTimeoutMs),
    });
    const answer = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${answer ? `: ${answer.slice(0, 200)}` : ''}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${deliveryTimeoutMs / 1000} s` : `${error.message}${cause}`) : String(error);
    return { ok: false, statusCode: null, error: message.slice(0, 300) };
  }
}
