import type { ClaimStore } from './claim-store';

/** Claims held in this process: the embedded default, where one process owns the stores. */
export class MemoryClaimStore implements ClaimStore {
  readonly driver = 'memory' as const;
  private readonly claims = new Map<string, { owner: string; expiresAt: number }>();

  async acquire(keys: readonly string[], owner: string, leaseMs: number): Promise<Set<string>> {
    const now = Date.now();
    const held = new Set<string>();
    for (const key of keys) {
      const claim = this.claims.get(key);
      if (claim && claim.owner !== owner && claim.expiresAt > now) continue;
      this.claims.set(key, { owner, expiresAt: now + leaseMs });
      held.add(key);
    }
    return held;
  }

  async renew(keys: readonly string[], owner: string, leaseMs: number): Promise<void> {
    const expiresAt = Date.now() + leaseMs;
    for (const key of keys) {
      const claim = this.claims.get(key);
      if (claim?.owner === owner) claim.expiresAt = expiresAt;
    }
  }

  async release(keys: readonly string[], owner: string): Promise<void> {
    for (const key of keys) {
      if (this.claims.get(key)?.owner === owner) this.claims.delete(key);
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.claims.clear();
  }
}
