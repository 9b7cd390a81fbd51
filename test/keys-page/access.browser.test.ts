import { Page } from 'playwright-core';
import { dataOf } from '../support/graphql';
import { BrowserSession, browserDescribe, openBrowser, screenshot, seriousViolations } from '../support/browser';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { copyAndClose, dialog, keyRow, keysTable, revealSecret } from './keys-page.helpers';

/** Who sees what on /keys: client keys, the sign-in form, a user without the role, an account with the Developer API off. */
const FLAG = 'mutation($id: ID!, $on: Boolean!) { updateAccount(id: $id, input: { developerApiEnabled: $on }) { developerApiEnabled } }';

browserDescribe('the /keys page')('who may do what on /keys', () => {
  let session: BrowserSession;
  let page: Page;
  afterAll(() => session?.close());
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  const origin = () => new URL(t.url).origin;

  beforeAll(async () => {
    session = await openBrowser({ allowedOrigins: () => [origin()], clipboardOrigins: [origin()] });
    page = session.page;
  });

  const signIn = async (accountId: string, roles: string[]) => {
    await page.goto(`${t.url}/keys#token=${await userToken({ sub: 'bob@example.com', account_id: accountId, roles })}`);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
  };

  it("lists a client's keys and creates one with client permissions only", async () => {
    const acme = await t.seed.client(t.account.primary.secret, 'Acme');
    const other = await t.seed.client(t.account.primary.secret, 'Globex');
    await t.seed.key(t.account.primary.secret, { name: 'acme-sync', clientId: acme.id, permissions: ['LEADS_READ'] });
    await t.seed.key(t.account.primary.secret, { name: 'globex-sync', clientId: other.id });
    await signIn(t.account.id, ['developer']);
    await page.getByRole('tab', { name: 'Client keys' }).click();
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Acme' });
    await keyRow(page, 'acme-sync', 'Client keys').waitFor();
    expect(await keysTable(page, 'Client keys').getByRole('rowheader').allInnerTexts()).toEqual(['acme-sync']);
    await screenshot(page, 'keys-client');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New key', exact: true }).click();
    const form = dialog(page, 'New key');
    expect(await form.getByRole('checkbox', { name: 'clients:read' }).count()).toBe(0);
    await form.getByLabel('Key name').fill('acme zapier');
    await form.getByRole('checkbox', { name: 'leads:read', exact: true }).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = await revealSecret(page);
    expect(secret).toMatch(/^cl_/);
    await copyAndClose(page);
    const viewer = dataOf(await t.call(secret, '{ viewer { principal permissions client { name } } }')).viewer;
    expect(viewer).toEqual({ principal: 'CLIENT_KEY', permissions: ['LEADS_READ'], client: { name: 'Acme' } });
    await keyRow(page, 'acme zapier', 'Client keys').waitFor();
  });

  it('filters by name and status', async () => {
    await page.getByLabel('Filter by name').fill('zap');
    await keysTable(page, 'Client keys').getByRole('rowheader').filter({ hasText: 'acme-sync' }).waitFor({ state: 'detached' });
    expect(await keysTable(page, 'Client keys').getByRole('rowheader').allInnerTexts()).toEqual(['acme zapier']);
    await page.getByLabel('Filter by name').fill('');
    await page.getByLabel('Status').selectOption('INACTIVE');
    await page.getByText('No key matches.').waitFor();
  });

  it('shows the API error next to the field it names', async () => {
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'New key', exact: true }).click();
    await dialog(page, 'New key').getByLabel('Key name').fill('not/allowed');
    await dialog(page, 'New key').getByRole('button', { name: 'Create key' }).click();
    const error = dialog(page, 'New key').locator('#kw-new-name-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/letters, digits, spaces, hyphens and underscores/i);
    await page.keyboard.press('Escape');
  });

  it('works from the keyboard: the row menu opens on Enter, arrows move, Escape closes and focus returns', async () => {
    const menuButton = page.getByRole('button', { name: 'Actions for acme zapier', exact: true });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const focused = () => page.evaluate(() => (globalThis as any).document.activeElement.textContent);
    expect(await focused()).toBe('Rename');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Edit permissions');
    await page.keyboard.press('End');
    expect(await focused()).toBe('Delete');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(await menuButton.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const rename = dialog(page, 'Rename key');
    await rename.waitFor();
    expect(await rename.getByLabel('Key name').evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await rename.waitFor({ state: 'detached' });
    expect(await menuButton.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
  });

  it('signs in with a pasted admin key, held in memory only', async () => {
    await page.goto(`${t.url}/keys`);
    await page.getByLabel('Session token or admin key').fill(t.account.primary.secret);
    await screenshot(page, 'keys-sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await keysTable(page).waitFor();
    expect(await page.getByText(`signed in with ${t.account.primary.prefix}`).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length + (globalThis as any).localStorage.length)).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Session token or admin key').waitFor();
  });

  it('says why when the token is refused', async () => {
    await page.goto(
      `${t.url}/keys#token=${await userToken({ sub: 'eve', account_id: t.account.id, roles: ['developer'] }, { secret: 'x'.repeat(40) })}`,
    );
    await page.getByRole('alert').filter({ hasText: 'keyward refused this sign-in' }).waitFor();
    expect(await page.getByLabel('Session token or admin key').count()).toBe(1);
  });

  it('tells a user without the developer role why nothing can be managed', async () => {
    await signIn(t.account.id, ['viewer']);
    await page.getByRole('heading', { name: 'You cannot manage API keys' }).waitFor();
    expect(await page.getByText('needs the developer role').count()).toBe(1);
    expect(await page.getByRole('tab').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New key' }).count()).toBe(0);
    await screenshot(page, 'keys-no-role');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a banner and no create button while the Developer API is off', async () => {
    const dormant = await t.seed.account('Dormant');
    await t.data(t.operatorToken, FLAG, { id: dormant.id, on: false });
    await signIn(dormant.id, ['developer']);
    await page.getByRole('alert').filter({ hasText: 'The Developer API is turned off for this account' }).waitFor();
    await keysTable(page).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('button', { name: 'New key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    await screenshot(page, 'keys-flag-off');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("asked for nothing outside keyward's origin and broke no page rule", () => {
    expect(session.offOrigin).toEqual([]);
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors.filter((text) => /Content.Security.Policy/i.test(text))).toEqual([]);
  });
});
