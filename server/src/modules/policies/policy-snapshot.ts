import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { canonicalPolicyDocument, type PolicyDocument, type VersionedPolicy } from './document';
import { PoliciesRepository } from './policies.repository';

/**
 * How stale another process's view of the policies may be: each process re-reads them in the background every
 * POLICY_REFRESH_MS, and a decision never uses a view older than POLICY_MAX_AGE_MS (it waits for a fresh read
 * instead). A write in this process is seen by this process's next decision. Stated in README.
 */
export const POLICY_REFRESH_MS = 2_000;
export const POLICY_MAX_AGE_MS = 5_000;

/** Every current policy version, held in memory for the decision path (a handful of documents). */
@Injectable()
export class PolicySnapshot implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Policies');
  private policies: readonly VersionedPolicy[] = [];
  private loadedAt = -Infinity;
  /** Bumped at every load: caches derived from the policies key on it. */
  private currentGeneration = 0;
  private loading: Promise<readonly VersionedPolicy[]> | null = null;
  private timer?: NodeJS.Timeout;

  constructor(private readonly repository: PoliciesRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.error(`policy refresh failed: ${error instanceof Error ? error.message : String(error)}`));
    }, POLICY_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get generation(): number {
    return this.currentGeneration;
  }

  /** The policies, read again first when the view in memory is older than POLICY_MAX_AGE_MS. */
  async current(now = Date.now()): Promise<readonly VersionedPolicy[]> {
    if (now - this.loadedAt <= POLICY_MAX_AGE_MS) return this.policies;
    return this.reload();
  }

  /** Reads the policies now (one read at a time; callers arriving meanwhile share it). */
  reload(): Promise<readonly VersionedPolicy[]> {
    if (!this.loading) {
      const startedAt = Date.now();
      this.loading = this.repository
        .findCurrent()
        .then((rows) => {
          this.policies = rows.map((row) => ({ version: row.version, document: canonicalPolicyDocument(row.document as PolicyDocument) }));
          this.loadedAt = startedAt;
          this.currentGeneration += 1;
          return this.policies;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }

  /**
   * After a write: the next decision must see it. A read already under way may have started before the write, so
   * this waits for it and reads again.
   */
  async invalidate(): Promise<void> {
    if (this.loading) await this.loading.catch(() => undefined);
    await this.reload();
  }
}
