import { Frame, Locator, Page } from 'playwright-core';

/** How a user reaches things on /keys: by role and accessible name, the names embedders' tests rely on. */
export type Surface = Page | Frame;

export function keysTable(on: Surface, name = 'Admin keys'): Locator {
  return on.getByRole('table', { name, exact: true });
}

export function keyRow(on: Surface, keyName: string, table = 'Admin keys'): Locator {
  // The whole name (and its badge, if any): "Zapier" must not find "Zapier sync" while a rename is on its way.
  const name = new RegExp(`^${keyName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*(Primary|Playground))?$`);
  return keysTable(on, table)
    .getByRole('row')
    .filter({ has: on.getByRole('rowheader', { name }) });
}

/** Opens the row's menu ("Actions for <name>") and picks one item. */
export async function chooseAction(on: Surface, keyName: string, item: string): Promise<void> {
  await on.getByRole('button', { name: `Actions for ${keyName}`, exact: true }).click();
  await on
    .getByRole('menu', { name: `Actions for ${keyName}` })
    .getByRole('menuitem', { name: item, exact: true })
    .click();
}

export async function menuItems(on: Surface, keyName: string): Promise<string[]> {
  await on.getByRole('button', { name: `Actions for ${keyName}`, exact: true }).click();
  const items = await on
    .getByRole('menu', { name: `Actions for ${keyName}` })
    .getByRole('menuitem')
    .allInnerTexts();
  await on.locator('body').press('Escape');
  return items;
}

export function dialog(on: Surface, name: string): Locator {
  return on.getByRole('dialog', { name, exact: true });
}

/** In "Your new key": the value stays masked until Reveal; returns the revealed value. */
export async function revealSecret(on: Surface): Promise<string> {
  const shown = dialog(on, 'Your new key');
  await shown.waitFor();
  const code = shown.locator('.secret code');
  expect(await code.getAttribute('data-secret')).toBe('masked');
  expect(await code.innerText()).toMatch(/^(sk|cl)_[0-9A-Za-z]{8}_•+$/);
  await shown.getByRole('button', { name: 'Reveal', exact: true }).click();
  expect(await code.getAttribute('data-secret')).toBe('revealed');
  return code.innerText();
}

/** Copy, then Done: closing after a copy asks nothing. */
export async function copyAndClose(on: Surface): Promise<void> {
  const shown = dialog(on, 'Your new key');
  await shown.getByRole('button', { name: 'Copy', exact: true }).click();
  await shown.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  await shown.getByRole('button', { name: 'Done' }).click();
  await shown.waitFor({ state: 'detached' });
}
