import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, driven by playwright-core. Where it is missing the browser tests skip with a loud notice —
 * except in CI, where a skip would hide a missing install step, so the test fails instead.
 */
export function chromiumAvailability(): { available: boolean; reason?: string } {
  if (fs.existsSync(chromiumPath)) return { available: true };
  const reason = `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) to run the browser tests`;
  if (process.env.CI === 'true') throw new Error(`${reason}. CI must install it.`);
  console.warn(`\n*** SKIPPING BROWSER TESTS: ${reason} ***\n`);
  return { available: false, reason };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}
