import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

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

/**
 * What shows that a sign-in has landed: a menu entry every role signing in has (Spend is not compliance's or sre's,
 * Requests is everyone's), or a testid on the page the console opens with (the Spend dashboard's `total-cost`).
 */
export type SignedInMark = { menuItem: string } | { testId: string };

/**
 * Signs in through the console's login form and waits for `waitFor` — up to 30 s: a loaded 2-core CI machine can take
 * that long to draw the first page. Given a browser it opens a 1440×1000 page (with `pageOptions` on top) to sign in;
 * given a page it signs that page in. Either way it answers the signed-in page.
 */
export async function signInThroughForm(
  target: Browser | Page,
  baseUrl: string,
  email: string,
  password: string,
  { waitFor, pageOptions }: { waitFor: SignedInMark; pageOptions?: BrowserContextOptions },
): Promise<Page> {
  const page = 'newContext' in target ? await target.newPage({ viewport: { width: 1440, height: 1000 }, ...pageOptions }) : target;
  await page.goto(`${baseUrl}/`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  const mark = 'menuItem' in waitFor ? page.getByRole('menuitem', { name: waitFor.menuItem }) : page.getByTestId(waitFor.testId);
  await mark.waitFor({ timeout: 30_000 });
  return page;
}

/**
 * Keeps what the console's API answered with an error (a status other than 200, or GraphQL `errors`), so a browser
 * test that waited in vain can say whether the API refused, failed, or never answered. Call it before the actions.
 */
export function watchFailedApiAnswers(page: Page): { failed: string[]; pending: () => number } {
  const failed: string[] = [];
  let pending = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql')) pending += 1;
  });
  page.on('requestfailed', (request) => {
    if (!request.url().endsWith('/graphql')) return;
    pending -= 1;
    failed.push(`no answer: ${request.failure()?.errorText ?? 'failed'} ${request.postData()?.slice(0, 120) ?? ''}`);
  });
  page.on('response', (response) => {
    if (!response.url().endsWith('/graphql')) return;
    pending -= 1;
    void response.text().then(
      (body) => {
        if (response.status() !== 200 || body.includes('"errors"')) failed.push(`${response.status()} ${body.slice(0, 300)}`);
      },
      () => undefined,
    );
  });
  return { failed, pending: () => pending };
}
