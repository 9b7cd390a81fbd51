import axe from 'axe-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Frame, Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core (which never downloads a browser
 * of its own), for the browser tests: one browser per file, every request to
 * an origin the file did not name blocked and recorded, axe-core and
 * screenshots at hand.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '../../test-artifacts');
const haveChromium = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, or `describe.skip` on a developer machine without chromium (with CI set, the file fails instead). */
export function browserDescribe(what: string): jest.Describe {
  const skip = !haveChromium && process.env.CI === undefined;
  if (skip) console.warn(`Skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium). With CI set it fails instead.`);
  return skip ? describe.skip : describe;
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests to any origin but the allowed ones: blocked, and listed here. */
  offOrigin: string[];
  pageErrors: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: {
  allowedOrigins: () => string[];
  viewport?: { width: number; height: number };
  /** Origins granted clipboard access. */
  clipboardOrigins?: string[];
}): Promise<BrowserSession> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing and CI is set: install it with apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  for (const origin of options.clipboardOrigins ?? []) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const session: BrowserSession = {
    browser,
    context,
    page: await context.newPage(),
    offOrigin: [],
    pageErrors: [],
    consoleErrors: [],
    close: () => browser.close(),
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || options.allowedOrigins().includes(new URL(url).origin)) return route.continue();
    session.offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  session.page.on('console', (message) => {
    if (message.type() === 'error') session.consoleErrors.push(message.text());
  });
  session.page.on('pageerror', (error) => session.pageErrors.push(error.message));
  mkdirSync(ARTIFACTS, { recursive: true });
  return session;
}

/** axe-core's serious and critical violations in the page or frame as it is now (or in `within`, a selector), as `rule: selector` lines. */
export async function seriousViolations(target: Page | Frame, within?: string): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  await target.evaluate(axe.source);
  const violations = await target.evaluate(async (selector) => {
    const context = selector ?? (globalThis as any).document;
    const results = await (globalThis as any).axe.run(context, { resultTypes: ['violations'] });
    return results.violations.map((v: any) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n: any) => String(n.target)) }));
  }, within);
  return violations
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; targets: string[] }) => `${v.id}: ${v.targets.join(', ')}`);
}

export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
