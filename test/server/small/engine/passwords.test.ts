import { describe, expect, it } from 'vitest';
import { generateSecret, hashApiKey, hashPassword, verifyPassword } from '../../../../server/src/engine/auth/passwords';

describe('passwords', () => {
  it('hashes with scrypt and a per-password salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^scrypt\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery staple', second)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('refuses a stored hash of an unknown scheme or shape', async () => {
    const stored = await hashPassword('secret password');
    expect(await verifyPassword('secret password', stored.replace(/^scrypt/, 'bcrypt'))).toBe(false);
    expect(await verifyPassword('secret password', 'scrypt$only-salt')).toBe(false);
    expect(await verifyPassword('secret password', '')).toBe(false);
  });
});

describe('API keys and secrets', () => {
  it('hashes an API key to a stable SHA-256 hex digest', () => {
    expect(hashApiKey('wk_example')).toBe(hashApiKey('wk_example'));
    expect(hashApiKey('wk_example')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('wk_example')).not.toBe(hashApiKey('wk_example2'));
  });

  it('generates distinct URL-safe secrets of the asked length', () => {
    const secret = generateSecret(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret(32)).not.toBe(secret);
  });
});
