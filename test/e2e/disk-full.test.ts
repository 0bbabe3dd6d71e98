import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { temporaryDirectory } from '../support/test-engines';

const ingestKey = 'wk_disk_full_key_0123456789abcdef';
const adminPassword = 'disk full password';

/** A small tmpfs of our own for DATA_DIR, where this machine lets the test mount one (root, CAP_SYS_ADMIN). */
function mountSmallDisk(): string | null {
  const mountPoint = temporaryDirectory('disk-full');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status === 0) return mountPoint;
  const reason = `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()}): the disk-full test needs root`;
  if (process.env.CI === 'true') throw new Error(`${reason}. CI runs as root and must be able to.`);
  console.warn(`\n*** SKIPPING THE DISK-FULL TEST: ${reason} ***\n`);
  fs.rmSync(mountPoint, { recursive: true, force: true });
  return null;
}

const events = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    timestamp: '2026-06-01T12:00:00Z',
    team: 'disk',
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 10,
    outputTokens: 10,
    costUsd: '0.002',
    // Content makes each batch need real space.
    prompt: 'x'.repeat(2000),
  }));

describe('a full disk', () => {
  const mountPoint = mountSmallDisk();
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    if (!mountPoint) return;
    server = await startServerProcess({ DATA_DIR: path.join(mountPoint, 'data'), WARDEN_INGEST_KEY: ingestKey, WARDEN_ADMIN_PASSWORD: adminPassword, WARDEN_RETENTION_DAYS: '3650' });
  }, 300_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (mountPoint) {
      spawnSync('umount', ['-l', mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  const post = async (body: unknown[]) => {
    const response = await fetch(`${server!.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
  };
  const ready = async () => {
    const response = await fetch(`${server!.baseUrl}/readyz`);
    return { status: response.status, body: (await response.json()) as { dependencies: Record<string, { status: string }> } };
  };

  it.skipIf(!mountPoint)('answers 503 store_unavailable with Retry-After and goes unready, then stores the kept rows once space returns', async () => {
    expect((await post(events('before', 100))).body).toMatchObject({ accepted: 100 });
    // Fill the disk, leaving a few kilobytes.
    const filler = path.join(mountPoint!, 'filler');
    const free = () => Number(spawnSync('df', ['--output=avail', '-B1', mountPoint!], { encoding: 'utf8' }).stdout.trim().split('\n')[1]);
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 64 * 1024)));

    const refused = await post(events('during', 200));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    const unready = await ready();
    expect(unready.status).toBe(503);
    expect(unready.body.dependencies.writes.status).toBe('down');

    fs.rmSync(filler);
    // Whatever was kept is written in the background; a re-send then stores the rest, and nothing twice.
    const deadline = Date.now() + 60_000;
    let answer = await post(events('during', 200));
    while (answer.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await post(events('during', 200));
    }
    expect(answer.status).toBe(200);
    expect(Number(answer.body.accepted) + Number(answer.body.duplicates)).toBe(200);
    expect((await ready()).status).toBe(200);
    const again = await post(events('during', 200));
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 200 });
  }, 300_000);
});
