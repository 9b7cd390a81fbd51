import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Frame, Page } from 'playwright-core';
import { BrowserSession, browserDescribe, openBrowser, screenshot, seriousViolations } from '../support/browser';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { keysTable } from './keys-page.helpers';

/**
 * /keys in a platform's settings page, as the README's snippet embeds it. One
 * small page server answers under two origins: http://127.0.0.1:<port>, in
 * EMBED_ORIGINS (the platform), and http://localhost:<port>, which is not (a
 * third party). keyward is on http://localhost:<its own port>.
 */
function settingsPage(keyward: string, third: string): string {
  return `<!doctype html><html lang="en"><head><title>Settings</title><script>
  const keys = () => document.getElementById('keys').contentWindow;
  window.received = [];
  window.tokens = (new URLSearchParams(location.search).get('tokens') || '').split(',').filter(Boolean);
  window.give = (token) => keys().postMessage({ type: 'keyward:token', token }, '${keyward}');
  window.addEventListener('message', (event) => {
    if (event.origin !== '${keyward}') return;
    window.received.push(event.data);
    if (window.tokens.length) window.give(window.tokens.shift());
  });
  </script></head><body><h1>Settings</h1>
  <iframe id="keys" title="API keys" src="${keyward}/keys" allow="clipboard-write" width="1200" height="760"></iframe>
  <iframe id="intruder" title="Ads" src="${third}/intruder" width="200" height="50"></iframe>
  </body></html>`;
}
const INTRUDER = `<!doctype html><title>ads</title><script>
  window.forge = (token) => window.parent.frames[0].postMessage({ type: 'keyward:token', token }, '*');
</script>`;

browserDescribe('the embedded /keys page')('/keys embedded in another origin', () => {
  let pages: Server;
  let platform: string;
  let third: string;
  let session: BrowserSession;
  let page: Page;
  const keysRequests: string[] = [];

  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });
  beforeAll(async () => {
    pages = createServer((req, res) => {
      const url = new URL(req.url!, 'http://pages');
      const html =
        url.pathname === '/settings'
          ? settingsPage(keywardOrigin(), third)
          : url.pathname === '/intruder'
            ? INTRUDER
            : `<!doctype html><title>frame</title><iframe title="API keys" src="${keywardOrigin()}/keys"></iframe>`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const { port } = pages.address() as AddressInfo;
    platform = `http://127.0.0.1:${port}`;
    third = `http://localhost:${port}`;
  });
  const t = useTestServer(() => ({ authJwtSecret: TEST_JWT_SECRET, embedOrigins: [platform] }));
  const keywardOrigin = () => new URL(t.url).origin;

  beforeAll(async () => {
    session = await openBrowser({ allowedOrigins: () => [keywardOrigin(), platform, third] });
    page = session.page;
    page.on('request', (request) => {
      if (request.frame().url().startsWith(`${keywardOrigin()}/keys`)) keysRequests.push(request.url());
    });
  });

  const token = (sub: string, options = {}) => userToken({ sub, account_id: t.account.id, roles: ['developer'] }, options);
  const keysFrame = (): Frame => page.frames().find((frame) => frame.url().startsWith(`${keywardOrigin()}/keys`))!;
  const received = () => page.evaluate(() => (globalThis as any).received);

  it("takes the user's token from the platform's page by postMessage, and ignores a third origin's", async () => {
    await page.goto(`${platform}/settings`);
    await page.waitForFunction(() => (globalThis as any).received.length > 0);
    expect(await received()).toEqual([{ type: 'keyward:ready' }]);
    const frame = keysFrame();
    await frame.getByText('Waiting for the settings page to sign you in').waitFor();

    // Our own listener in the page runs after the page's: once it has seen the forged message, so has the page.
    await frame.evaluate(() => {
      (globalThis as any).seen = [];
      (globalThis as any).addEventListener('message', (event: any) => (globalThis as any).seen.push(event.origin));
    });
    const graphqlCalls = keysRequests.filter((url) => url.endsWith('/graphql')).length;
    const intruder = page.frames().find((f) => f.url().startsWith(`${third}/intruder`))!;
    await intruder.evaluate((forged) => (globalThis as any).forge(forged), await token('mallory@example.com'));
    await frame.waitForFunction((origin) => (globalThis as any).seen.includes(origin), third);
    expect(await frame.getByText('Waiting for the settings page to sign you in').count()).toBe(1);
    expect(keysRequests.filter((url) => url.endsWith('/graphql')).length).toBe(graphqlCalls);

    await page.evaluate((real) => (globalThis as any).give(real), await token('bob@example.com'));
    await keysTable(frame).getByRole('row').nth(1).waitFor();
    expect(await frame.getByText('signed in as bob@example.com').count()).toBe(1);
    expect(await frame.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await screenshot(page, 'keys-embedded');
    expect(await seriousViolations(frame)).toEqual([]);
  });

  it('asks the platform for a fresh token when keyward refuses one, and before one expires', async () => {
    const refused = await userToken({ sub: 'bob@example.com', account_id: t.account.id, roles: ['developer'] }, { secret: 'y'.repeat(40) });
    const expiring = await token('bob@example.com', { expiresIn: 20 });
    const fresh = await token('bob@example.com');
    await page.goto(`${platform}/settings?tokens=${[refused, expiring, fresh].join(',')}`);
    await page.waitForFunction(() => (globalThis as any).received.length >= 3);
    expect(await received()).toEqual([
      { type: 'keyward:ready' },
      { type: 'keyward:token-request', reason: 'refused' },
      { type: 'keyward:token-request', reason: 'expiring' },
    ]);
    await keysTable(keysFrame()).getByRole('row').nth(1).waitFor();
    expect(await keysFrame().getByText('signed in as bob@example.com').count()).toBe(1);
  });

  it('cannot be framed by an origin outside EMBED_ORIGINS', async () => {
    const refusal = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`${third}/frame-it`);
    expect((await refusal).text()).toContain(
      `Framing '${keywardOrigin()}/' violates the following Content Security Policy directive: "frame-ancestors ${platform}"`,
    );
    expect(page.frames().some((frame) => frame.url().startsWith(`${keywardOrigin()}/keys`))).toBe(false);
  });

  it("the framed page asked for nothing outside keyward's origin", () => {
    expect(session.offOrigin).toEqual([]);
    expect(keysRequests.length).toBeGreaterThan(3);
    expect(keysRequests.filter((url) => new URL(url).origin !== keywardOrigin())).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });
});
