import { Page } from 'playwright-core';
import { OPENAPI_DOCUMENT } from '../../src/rest/openapi';
import { BrowserSession, browserDescribe, openBrowser, screenshot, seriousViolations } from '../support/browser';
import { useTestServer } from '../support/harness';

/** /docs: the REST reference from /openapi.json, with a docs playground whose test token makes a call from the page. */
const summaries = Object.values(OPENAPI_DOCUMENT.paths as unknown as Record<string, Record<string, { summary?: unknown }>>).flatMap(
  (item) =>
    Object.values(item)
      .map((operation) => operation.summary)
      .filter((summary): summary is string => typeof summary === 'string'),
);

browserDescribe('the /docs page')('/docs in a real browser', () => {
  let session: BrowserSession;
  let page: Page;
  afterAll(() => session?.close());
  const t = useTestServer();
  const origin = () => new URL(t.url).origin;

  beforeAll(async () => {
    session = await openBrowser({ allowedOrigins: () => [origin()] });
    page = session.page;
  });

  it('shows every REST route of /openapi.json', async () => {
    expect(summaries.length).toBeGreaterThan(4);
    const response = await page.goto(`${t.url}/docs`);
    expect(response?.status()).toBe(200);
    await page
      .getByText(summaries[summaries.length - 1])
      .first()
      .waitFor();
    const text = await page.locator('body').innerText();
    for (const summary of summaries) expect(text).toContain(summary);
    await screenshot(page, 'docs');
    // keyward's own bar only: Scalar's reference has serious violations of its own (unnamed buttons, contrast), reported upstream's way.
    expect(await seriousViolations(page, '#kw-docs-token')).toEqual([]);
  });

  it('generates a test token that the reference sends as its bearer token, and keyward takes it', async () => {
    await page.getByLabel('Admin key or session token').fill(t.account.primary.secret);
    await page.getByRole('button', { name: 'Generate test token' }).click();
    const status = page.locator('#kw-docs-status');
    await status.filter({ hasText: 'Test key' }).waitFor();
    const prefix = (await status.innerText()).match(/sk_[0-9A-Za-z]{8}/)![0];
    const answered = page.waitForResponse(
      (res) => res.url().startsWith(`${t.url}/api/v1/client/api-key`) && res.request().method() === 'GET',
    );
    await page.getByRole('button', { name: 'Test Request (get /api/v1/client/api-key)' }).click();
    await page.getByRole('button', { name: /^Send/ }).first().click();
    const res = await answered;
    expect(res.request().headers().authorization).toMatch(new RegExp(`^Bearer ${prefix}_`));
    // The playground key holds keys:read (and leads:*): the list of client keys answers from the reference's page.
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, data: expect.any(Array) });
    await screenshot(page, 'docs-test-request');
  });

  it("asked for nothing outside keyward's origin", () => {
    expect(session.offOrigin).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });
});
