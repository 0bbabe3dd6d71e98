import * as crypto from 'node:crypto';
import type { ClaimStore } from './claim-store';

export interface LeaseLockOptions {
  leaseMs?: number;
  /** How often to look again while another holder has the lock. */
  pollMs?: number;
  /** Called once if the lock is held by another holder when asked for. */
  onWait?: () => void;
}

/**
 * Runs `work` while holding the named lock, across every process sharing the claim store: a second caller waits
 * until the first is done. The lease is renewed while `work` runs, so a holder that dies frees the lock within
 * one lease.
 */
export async function withLeaseLock<T>(claims: ClaimStore, name: string, work: () => Promise<T>, options: LeaseLockOptions = {}): Promise<T> {
  const key = `lock\u0000${name}`;
  const owner = crypto.randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  let waited = false;
  while ((await claims.acquire([key], owner, leaseMs)).size === 0) {
    if (!waited) options.onWait?.();
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
  const renewal = setInterval(() => void claims.renew([key], owner, leaseMs).catch(() => undefined), leaseMs / 3);
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await claims.release([key], owner).catch(() => undefined);
  }
}

/**
 * Runs `work` only if the named lock is free now; returns `{ ran: false }` at once when another holder has it. For
 * periodic work where a tick that finds the work already running has nothing to add.
 */
export async function tryWithLeaseLock<T>(claims: ClaimStore, name: string, work: () => Promise<T>, leaseMs = 60_000): Promise<{ ran: true; result: T } | { ran: false }> {
  const key = `lock\u0000${name}`;
  const owner = crypto.randomUUID();
  if ((await claims.acquire([key], owner, leaseMs)).size === 0) return { ran: false };
  const renewal = setInterval(() => void claims.renew([key], owner, leaseMs).catch(() => undefined), leaseMs / 3);
  renewal.unref();
  try {
    return { ran: true, result: await work() };
  } finally {
    clearInterval(renewal);
    await claims.release([key], owner).catch(() => undefined);
  }
}
