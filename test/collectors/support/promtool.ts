/**
 * `promtool check metrics` (Debian package `prometheus`) is the reference linter for expositions. Absent
 * locally, its tests are skipped with a loud notice; absent in CI (CI=true), they fail: CI must not go green
 * without the check.
 */
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
export const promtoolAvailable = probe.status === 0;
const inCi = process.env.CI === 'true';

const NOTICE = `
################################################################################
#  promtool NOT FOUND: exposition lint checks are SKIPPED.                      #
#  Install it (Debian/Ubuntu: apt-get install -y prometheus) to run them.      #
#  With CI=true these tests FAIL instead of skipping.                           #
################################################################################`;

let noticeShown = false;

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

export function promtoolCheckMetrics(exposition: string): PromtoolResult {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** `it` for tests that need promtool: runs, skips loudly, or fails in CI. */
export function itWithPromtool(name: string, test: () => Promise<void> | void): void {
  if (promtoolAvailable) {
    it(name, test);
    return;
  }
  if (inCi) {
    it(name, () => {
      throw new Error('promtool is required when CI=true: install the Debian package "prometheus"');
    });
    return;
  }
  if (!noticeShown) {
    console.warn(NOTICE);
    noticeShown = true;
  }
  it.skip(`${name} [SKIPPED: promtool not installed]`, test);
}
