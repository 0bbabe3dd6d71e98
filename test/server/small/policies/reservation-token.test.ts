import { describe, expect, it } from 'vitest';
import { ReservationTokens } from '../../../../server/src/modules/policies/decisions/reservation-token';

describe('reservation ids', () => {
  const context = { counterReservationId: 'r-1', decisionId: 'd-1', team: 'search', model: 'gpt-4o', at: 1_780_000_000_000 };

  it('reads back what this process issued, optional fields absent as they would be from the token itself', () => {
    const tokens = new ReservationTokens(Buffer.from('key-one'));
    const token = tokens.issue({ ...context, keyId: undefined, node: undefined });
    expect(tokens.read(token)).toStrictEqual(context);
    // Another process with the same key has only the token: it verifies the signature and reads the same context.
    expect(new ReservationTokens(Buffer.from('key-one')).read(token)).toStrictEqual(context);
  });

  it('refuses an altered id and one signed with another key, even while the genuine one is remembered', () => {
    const tokens = new ReservationTokens(Buffer.from('key-one'));
    const token = tokens.issue(context);
    const [payload, signature] = token.slice('rsv_'.length).split('.');
    const altered = `rsv_${Buffer.from(Buffer.from(payload, 'base64url').toString().replace('search', 'legal')).toString('base64url')}.${signature}`;
    expect(tokens.read(altered)).toBeNull();
    expect(new ReservationTokens(Buffer.from('key-two')).read(token)).toBeNull();
    expect(tokens.read(`${token}x`)).toBeNull();
  });

  it('a caller changing the context it read does not change what the id reads as next time', () => {
    const tokens = new ReservationTokens(Buffer.from('key-one'));
    const token = tokens.issue(context);
    const read = tokens.read(token)!;
    read.team = 'legal';
    expect(tokens.read(token)!.team).toBe('search');
  });
});
