import { Page } from 'playwright-core';
import { dataOf } from '../support/graphql';
import { BrowserSession, browserDescribe, openBrowser, screenshot, seriousViolations } from '../support/browser';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { chooseAction, copyAndClose, dialog, keyRow, keysTable, menuItems, revealSecret } from './keys-page.helpers';

/**
 * /keys standalone in Chromium: a developer signed in by the #token= fragment
 * manages one key through its whole life, each step checked against the API.
 */
const VIEWER = '{ viewer { prefix permissions usingPreviousKeyValue } }';

browserDescribe('the /keys page')('managing keys on /keys', () => {
  let session: BrowserSession;
  let page: Page;
  afterAll(() => session?.close());
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  const origin = () => new URL(t.url).origin;
  let secret: string;

  beforeAll(async () => {
    session = await openBrowser({ allowedOrigins: () => [origin()], clipboardOrigins: [origin()] });
    page = session.page;
  });

  const keyNamed = async (name: string) => {
    const res = await t.call(
      t.account.primary.secret,
      'query($name: String) { apiKeys(filter: { name: $name }) { edges { node { id name status permissions prefix } } } }',
      { name },
    );
    return dataOf(res)
      .apiKeys.edges.map((e: any) => e.node)
      .find((k: any) => k.name === name);
  };
  const statusOf = async (as: string) => (await t.call(as, VIEWER)).status;

  it('signs in from the #token= fragment and takes the token out of the address bar at once', async () => {
    const jwt = await userToken({ sub: 'alice@example.com', account_id: t.account.id, roles: ['developer'] });
    await page.goto(`${t.url}/keys#token=${jwt}`);
    await keyRow(page, 'Primary key').or(keysTable(page).getByRole('row').nth(1)).first().waitFor();
    expect(page.url()).toBe(`${t.url}/keys`);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length + (globalThis as any).localStorage.length)).toBe(0);
    expect(await page.getByRole('tab', { name: 'Admin keys' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByText('signed in as alice@example.com').count()).toBe(1);
    expect(await page.getByText(/Rate limit: \d+ of \d+ requests left this minute/).count()).toBe(1);
    const primary = keysTable(page).getByRole('row').filter({ hasText: 'Primary' });
    expect(await primary.innerText()).toContain(t.account.primary.prefix);
    expect(await page.getByText(/\d+ of 25 keys used/).innerText()).toBe('1 of 25 keys used');
    expect(
      await menuItems(
        page,
        await primary
          .getByRole('rowheader')
          .innerText()
          .then((s) => s.replace(/Primary$/, '').trim()),
      ),
    ).toEqual(['Rename', 'Reset']);
    await screenshot(page, 'keys-admin');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a key with one permission, shows it once, masked, and copies it; the secret works against /graphql', async () => {
    await page.getByRole('button', { name: 'New key', exact: true }).click();
    const form = dialog(page, 'New key');
    await form.getByLabel('Key name').fill('Zapier sync');
    expect(await form.getByRole('checkbox', { checked: true }).count()).toBe(0);
    await form.getByRole('checkbox', { name: 'leads:read', exact: true }).check();
    await screenshot(page, 'keys-new-key');
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Create key' }).click();

    secret = await revealSecret(page);
    await screenshot(page, 'keys-your-new-key');
    expect(await seriousViolations(page)).toEqual([]);
    await copyAndClose(page);
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(secret);
    expect(dataOf(await t.call(secret, VIEWER)).viewer).toMatchObject({ prefix: secret.slice(0, 11), permissions: ['LEADS_READ'] });
    await keyRow(page, 'Zapier sync').waitFor();
    expect(await keyRow(page, 'Zapier sync').innerText()).toMatch(/sk_\w{8}\s+Active\s+leads:read\s+.*Never used\s+Never/);
    expect(await page.getByText(/\d+ of 25 keys used/).innerText()).toBe('2 of 25 keys used');
  });

  it('asks before closing "Your new key" when the key was not copied; Escape closes dialogs', async () => {
    await page.getByRole('button', { name: 'New key', exact: true }).click();
    await page.keyboard.press('Escape');
    await dialog(page, 'New key').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).toBe('New key');

    await page.getByRole('button', { name: 'New key', exact: true }).click();
    await dialog(page, 'New key').getByLabel('Key name').fill('x'.repeat(101));
    await dialog(page, 'New key')
      .getByLabel('Key name')
      .evaluate((el: any) => el.removeAttribute('maxlength'));
    await dialog(page, 'New key').getByLabel('Key name').fill('x'.repeat(101));
    await dialog(page, 'New key').getByRole('button', { name: 'Create key' }).click();
    const error = dialog(page, 'New key').locator('#kw-new-name-error');
    await error.waitFor();
    expect(await dialog(page, 'New key').getByLabel('Key name').getAttribute('aria-invalid')).toBe('true');
    await dialog(page, 'New key').getByLabel('Key name').fill('Scratch');
    await dialog(page, 'New key').getByRole('button', { name: 'Create key' }).click();
    await revealSecret(page);
    await page.keyboard.press('Escape');
    await dialog(page, 'Your new key').getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Close without copying' }).click();
    await dialog(page, 'Your new key').waitFor({ state: 'detached' });
  });

  it('renames the key; its value stays the same', async () => {
    await chooseAction(page, 'Zapier sync', 'Rename');
    await dialog(page, 'Rename key').getByLabel('Key name').fill('Zapier');
    await screenshot(page, 'keys-rename');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog(page, 'Rename key').getByRole('button', { name: 'Save' }).click();
    await keyRow(page, 'Zapier').waitFor();
    expect((await keyNamed('Zapier'))?.prefix).toBe(secret.slice(0, 11));
    expect(await statusOf(secret)).toBe(200);
  });

  it('edits its permissions', async () => {
    await chooseAction(page, 'Zapier', 'Edit permissions');
    const edit = dialog(page, 'Edit permissions');
    expect(await edit.getByRole('checkbox', { name: 'leads:read', exact: true }).isChecked()).toBe(true);
    await edit.getByRole('checkbox', { name: 'leads:create', exact: true }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Save' }).click();
    await keyRow(page, 'Zapier').filter({ hasText: 'leads:create' }).waitFor();
    expect(dataOf(await t.call(secret, VIEWER)).viewer.permissions).toEqual(['LEADS_READ', 'LEADS_CREATE']);
  });

  it('resets it with a 1-hour grace period: the old and the new value both work', async () => {
    await chooseAction(page, 'Zapier', 'Reset');
    const reset = dialog(page, 'Reset key');
    expect(await reset.innerText()).toContain('stops working');
    await reset.getByRole('radio', { name: '1 hour' }).check();
    await screenshot(page, 'keys-reset');
    expect(await seriousViolations(page)).toEqual([]);
    await reset.getByRole('button', { name: 'Reset key' }).click();
    const fresh = await revealSecret(page);
    expect(await dialog(page, 'Your new key').innerText()).toContain('The previous value keeps working until');
    await copyAndClose(page);
    expect(fresh).not.toBe(secret);
    expect(dataOf(await t.call(fresh, VIEWER)).viewer.usingPreviousKeyValue).toBe(false);
    expect(dataOf(await t.call(secret, VIEWER)).viewer.usingPreviousKeyValue).toBe(true);
    secret = fresh;
  });

  it('deactivates and activates it', async () => {
    await chooseAction(page, 'Zapier', 'Deactivate');
    await keyRow(page, 'Zapier')
      .filter({ has: page.getByRole('cell', { name: 'Inactive', exact: true }) })
      .waitFor();
    expect(await statusOf(secret)).toBe(401);
    await chooseAction(page, 'Zapier', 'Activate');
    // Exactly "Active": a substring match would find "Inactive" before the answer lands.
    await keyRow(page, 'Zapier')
      .filter({ has: page.getByRole('cell', { name: 'Active', exact: true }) })
      .waitFor();
    expect(await statusOf(secret)).toBe(200);
  });

  it('revokes it with a reason, and finds it under Revoked keys', async () => {
    await chooseAction(page, 'Zapier', 'Revoke');
    await dialog(page, 'Revoke key').getByLabel('Reason (optional)').fill('Leaked in a build log');
    await screenshot(page, 'keys-revoke');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog(page, 'Revoke key').getByRole('button', { name: 'Revoke key' }).click();
    await keyRow(page, 'Zapier').waitFor({ state: 'detached' });
    expect(await statusOf(secret)).toBe(401);
    await page.getByRole('tab', { name: 'Revoked keys' }).click();
    const row = keyRow(page, 'Zapier', 'Revoked keys');
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      new RegExp(`${secret.slice(0, 11)}\\s+Admin key\\s+.+\\s+user:alice@example.com\\s+Leaked in a build log`),
    );
    await screenshot(page, 'keys-revoked');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('deletes a key after a confirmation that it is permanent', async () => {
    const doomed = await t.seed.key(t.account.primary.secret, { name: 'Old script' });
    await page.getByRole('tab', { name: 'Admin keys' }).click();
    await chooseAction(page, 'Old script', 'Delete');
    expect(await dialog(page, 'Delete key').innerText()).toContain('permanent');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog(page, 'Delete key').getByRole('button', { name: 'Delete key' }).click();
    await keyRow(page, 'Old script').waitFor({ state: 'detached' });
    expect(
      dataOf(await t.call(t.account.primary.secret, 'query($id: ID!) { apiKey(id: $id) { id } }', { id: doomed.id })).apiKey,
    ).toBeNull();
  });

  it('shows the audit log, newest first', async () => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const rows = page.getByRole('table', { name: 'Audit log' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.nth(1).innerText()).toMatch(/user:alice@example.com\s+API key deleted\s+Old script/);
    await screenshot(page, 'keys-audit');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lists a playground key like any other, outside the 25-key count', async () => {
    await page.getByRole('tab', { name: 'Admin keys' }).click();
    const before = await page.getByText(/\d+ of 25 keys used/).innerText();
    await t.data(t.account.primary.secret, 'mutation { createPlaygroundKey { secret } }');
    await page.getByRole('tab', { name: 'Revoked keys' }).click();
    await page.getByRole('tab', { name: 'Admin keys' }).click();
    const row = keyRow(page, 'Docs playground (temp)');
    await row.waitFor();
    expect(await row.getByRole('rowheader').innerText()).toMatch(/^Docs playground \(temp\)\s*Playground$/);
    expect(await row.innerText()).toMatch(/leads:read, leads:create, leads:update, leads:delete[\s\S]*in 1 hour/);
    expect(await page.getByText(/\d+ of 25 keys used/).innerText()).toBe(before);
    expect(await menuItems(page, 'Docs playground (temp)')).toEqual([
      'Rename',
      'Edit permissions',
      'Reset',
      'Deactivate',
      'Revoke',
      'Delete',
    ]);
  });

  it('fits a 390 px wide screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('tab', { name: 'Admin keys' }).click();
    await keysTable(page).waitFor();
    const wide = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('body *')]
        .filter((el: any) => el.getBoundingClientRect().right > 391 && !el.closest('.scroll'))
        .map((el: any) => `${el.tagName}.${el.className}`),
    );
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByRole('button', { name: 'New key', exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'keys-admin-390');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("asked for nothing outside keyward's origin and broke no page rule", () => {
    expect(session.offOrigin).toEqual([]);
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors.filter((text) => /Content.Security.Policy/i.test(text))).toEqual([]);
  });
});
