import * as crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

/** scrypt with a per-password salt; the stored form names its scheme so it can be upgraded later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

/**
 * Node's one-shot hash (20.12 and later): no Hash object per call, about a third of createHash's cost, which mattered
 * on the gateway, where every request's key is hashed.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** API keys are long random secrets, so one fast hash is enough at rest (and keeps ingest cheap). */
export function hashApiKey(secret: string): string {
  return oneShotHash ? oneShotHash('sha256', secret, 'hex') : crypto.createHash('sha256').update(secret).digest('hex');
}

export function generateSecret(bytes = 24): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
