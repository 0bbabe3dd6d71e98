import * as crypto from 'node:crypto';

/**
 * Keys for one purpose each, derived from WARDEN_SECRET (HMAC-SHA256 of the purpose), so a feature never holds the
 * secret itself and a key leaked from one purpose says nothing about another.
 */
export class DerivedKeys {
  private readonly derived = new Map<string, Buffer>();

  constructor(private readonly secret: string) {}

  keyFor(purpose: string): Buffer {
    let key = this.derived.get(purpose);
    if (!key) {
      key = crypto.createHmac('sha256', this.secret).update(`warden:${purpose}`).digest();
      this.derived.set(purpose, key);
    }
    return key;
  }
}
