/**
 * Exclusive, leased claims on keys, shared by every process that writes the same stores. The batching writer claims
 * the keys of a batch before it checks which are stored and keeps them until its insert has an outcome, so two
 * batches — in one process or in several — never both decide that the same event is new. A claim lapses after its
 * lease unless renewed, so a crashed holder blocks nobody for longer than that.
 */
export interface ClaimStore {
  readonly driver: 'memory' | 'redis';
  /** Claims every free key for `owner` (keys it already holds are renewed); returns the keys `owner` now holds. */
  acquire(keys: readonly string[], owner: string, leaseMs: number): Promise<Set<string>>;
  /** Extends the lease of the keys `owner` still holds. */
  renew(keys: readonly string[], owner: string, leaseMs: number): Promise<void>;
  /** Frees the keys `owner` holds; a key that lapsed and was claimed by another owner is left alone. */
  release(keys: readonly string[], owner: string): Promise<void>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
