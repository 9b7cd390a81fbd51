import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { useTestServer } from '../support/harness';

/**
 * A frontend on another origin calling keyward from Chromium (Debian's, driven
 * by playwright-core), as the README's fetch example does. One tiny page server
 * is reached under two origins: http://127.0.0.1:<port>, which CORS_ORIGINS
 * lists, and http://localhost:<port>, which it does not. keyward itself is on
 * http://localhost:<its port>, so both are cross-origin to it.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const skip = !haveChromium && process.env.CI === undefined;
if (skip) console.warn(`Skipping the CORS browser test: ${CHROMIUM} is missing (apt-get install -y chromium).`);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-sync',
];

const KEY_COUNT = '{ apiKeys { totalCount } }';

interface Called {
  status?: number;
  headers?: Record<string, string | null>;
  body?: any;
  failed?: string;
}

/** Runs in the page: one fetch, and what the page may read of its answer (or how the call failed). */
async function callFromPage(
  page: Page,
  request: { url: string; method: string; headers: Record<string, string>; body?: string },
): Promise<Called> {
  return page.evaluate(async ({ url, method, headers, body }) => {
    try {
      const res = await fetch(url, { method, headers, body });
      const names = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'content-type'];
      return { status: res.status, headers: Object.fromEntries(names.map((n) => [n, res.headers.get(n)])), body: await res.json() };
    } catch (error) {
      return { failed: String(error) };
    }
  }, request);
}

(skip ? describe.skip : describe)('CORS in a real browser', () => {
  let pages: Server;
  let allowedOrigin: string;
  let refusedOrigin: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  // Registered before the server's: the browser and the pages' origin go before keyward stops.
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });
  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing and CI is set: install it with apt-get install -y chromium`);
    pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const { port } = pages.address() as AddressInfo;
    allowedOrigin = `http://127.0.0.1:${port}`;
    refusedOrigin = `http://localhost:${port}`;
  });
  // The allowed origin is the pages server's, known once it listens.
  const keyward = useTestServer(() => ({ corsOrigins: [allowedOrigin] }));
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  const keyCount = async (): Promise<number> => (await keyward.data(keyward.account.primary.secret, KEY_COUNT)).apiKeys.totalCount;

  const graphqlCall = (query: string, variables?: Record<string, unknown>) => ({
    url: `${keyward.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keyward.account.primary.secret}` },
    body: JSON.stringify({ query, variables }),
  });

  it('an allowed origin runs the README example (createApiKey with a bearer token) and reads RateLimit-*', async () => {
    await page.goto(`${allowedOrigin}/`);
    const before = await keyCount();
    const created = await callFromPage(
      page,
      graphqlCall('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix } } }', {
        input: { name: 'Zapier', permissions: ['LEADS_READ'] },
      }),
    );
    expect(created.failed).toBeUndefined();
    expect(created.status).toBe(200);
    expect(created.body.data.createApiKey.secret).toMatch(/^sk_/);
    expect(Number(created.headers?.['RateLimit-Limit'])).toBeGreaterThan(0);
    expect(created.headers?.['RateLimit-Remaining']).toMatch(/^\d+$/);
    expect(created.headers?.['RateLimit-Reset']).toMatch(/^\d+$/);
    expect(await keyCount()).toBe(before + 1);
  });

  it('an allowed origin calls the REST routes with X-API-Key', async () => {
    await page.goto(`${allowedOrigin}/`);
    const listed = await callFromPage(page, {
      url: `${keyward.url}/api/v1/client/api-key?limit=5`,
      method: 'GET',
      headers: { 'x-api-key': keyward.account.primary.secret },
    });
    expect(listed.failed).toBeUndefined();
    expect(listed.status).toBe(200);
    expect(listed.body.ok).toBe(true);
    expect(listed.headers?.['RateLimit-Remaining']).toMatch(/^\d+$/);
  });

  it('a refused origin is blocked by the browser, and its mutation never runs', async () => {
    await page.goto(`${refusedOrigin}/`);
    const before = await keyCount();
    const errorsBefore = consoleErrors.length;
    const call = await callFromPage(page, graphqlCall('mutation { createPlaygroundKey { secret } }'));
    expect(call).toEqual({ failed: expect.stringMatching(/TypeError: Failed to fetch/) });
    expect(consoleErrors.slice(errorsBefore).join('\n')).toMatch(/blocked by CORS policy/);
    // The preflight was refused, so the POST was never sent.
    expect(await keyCount()).toBe(before);
  });
});
