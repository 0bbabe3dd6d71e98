import * as crypto from 'node:crypto';

/**
 * What a reservation id carries: the counters' own reservation and the request it was made for. The id is this,
 * signed, so any process can settle it (and count its usage against the right quotas, even once the counters have
 * forgotten the reservation) without storing anything per decision.
 */
export interface ReservationContext {
  /** The counters' reservation id; '' when the decision reserved nothing (no quota applied). */
  counterReservationId: string;
  decisionId: string;
  team?: string;
  keyId?: string;
  model: string;
  node?: string;
  /** The decision's instant, epoch ms: usage counts in the quota periods the reservation was made in. */
  at: number;
  /**
   * Kept in memory by the caller that settles it, once (`settlesHere`, the gateway), never signed into a token: the
   * counters forget the reservation as it is settled or released.
   */
  settlesHere?: true;
}

const PREFIX = 'rsv_';
const SIGNATURE_BYTES = 16;
const MAX_TOKEN_LENGTH = 4096;
/** Recently issued ids remembered by this process: most are settled here (the gateway) within seconds. */
const REMEMBERED_TOKENS = 10_000;

export class ReservationTokens {
  /** Issued here, so known genuine: read without verifying the signature or parsing again. Oldest first. */
  private readonly issued = new Map<string, ReservationContext>();

  constructor(private readonly key: Buffer) {}

  issue(context: ReservationContext): string {
    const fields = [1, context.counterReservationId, context.decisionId, context.team ?? null, context.keyId ?? null, context.model, context.node ?? null, context.at];
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    const token = `${PREFIX}${payload}.${this.sign(payload)}`;
    if (this.issued.size >= REMEMBERED_TOKENS) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(token, withoutAbsentFields(context));
    return token;
  }

  /** The context of a reservation id this server issued; null for anything else (unknown, altered, foreign). */
  read(token: string): ReservationContext | null {
    const remembered = this.issued.get(token);
    if (remembered) return { ...remembered };
    if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) return null;
    const [payload, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    try {
      const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
      const [format, counterReservationId, decisionId, team, keyId, model, node, at] = fields;
      if (format !== 1 || typeof counterReservationId !== 'string' || typeof decisionId !== 'string' || typeof model !== 'string' || typeof at !== 'number') return null;
      return {
        counterReservationId,
        decisionId,
        ...(typeof team === 'string' ? { team } : {}),
        ...(typeof keyId === 'string' ? { keyId } : {}),
        model,
        ...(typeof node === 'string' ? { node } : {}),
        at,
      };
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.key).update(payload).digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
  }
}

/** The context as read from a token: optional fields absent rather than undefined. */
function withoutAbsentFields(context: ReservationContext): ReservationContext {
  const { team, keyId, node, ...required } = context;
  return { ...required, ...(team !== undefined ? { team } : {}), ...(keyId !== undefined ? { keyId } : {}), ...(node !== undefined ? { node } : {}) };
}
