import { spawnSync } from 'node:child_process';

/**
 * Finds an external tool a test needs. Missing on a developer's machine: the test skips with a loud notice.
 * Missing in CI (CI=true): the test fails, because there a skip would hide a missing install step.
 */
export function findTool(candidates: string[][], installHint: string, versionArgument = '--version'): string[] | null {
  for (const command of candidates) {
    const probe = spawnSync(command[0], [...command.slice(1), versionArgument], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  const message = `${candidates.map((command) => command.join(' ')).join(' / ')} not found: ${installHint}`;
  if (process.env.CI === 'true') throw new Error(`${message}. CI must install it.`);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return null;
}
