import { dataOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { createScopedKey, defineScopes, keyHolding, refusalOf, UPDATE_KEY } from './scopes.fixtures';

/*
 * Keys hold platform scopes from the catalogue, set at createApiKey and with
 * updateApiKey. No escalation: a developer (and the primary key) may grant
 * any defined scope, any other key only what it holds itself, and a client
 * key holds only clientAssignable scopes.
 */
describe('granting platform scopes at createApiKey and updateApiKey', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  let granter: string;

  beforeAll(async () => {
    await defineScopes(t, 'client:invoices:read', 'invoices:write', 'invoices:*', 'client:reports:read', 'payouts:send');
    granter = (
      await keyHolding(t, t.account.primary.secret, ['invoices:read', 'reports:read'], { permissions: ['KEYS_READ', 'KEYS_WRITE'] })
    ).secret;
  });

  const update = (as: string, id: string, scopes: unknown) =>
    graphql(t.url, { as, query: UPDATE_KEY, variables: { id, input: { scopes } } });

  it('creates a key holding the scopes, sorted and without repeats, and returns them on ApiKey.scopes', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:write', 'invoices:read', 'invoices:write']);
    expect(key.scopes).toEqual(['invoices:read', 'invoices:write']);
    const read = await t.data(t.account.primary.secret, 'query($id: ID!) { apiKey(id: $id) { scopes } }', { id: key.id });
    expect(read.apiKey.scopes).toEqual(['invoices:read', 'invoices:write']);
    expect((await keyHolding(t, t.account.primary.secret, [])).scopes).toEqual([]);
    const { key: none } = await createScopedKey(t, t.account.primary.secret, undefined);
    expect(none?.scopes).toEqual([]);
  });

  it('lets a developer grant any defined scope, and audits the scopes with the creation', async () => {
    const developer = await userToken({ sub: 'dev-2', account_id: Number(t.account.id), roles: ['developer'] });
    const key = await keyHolding(t, developer, ['payouts:send']);
    expect(key.scopes).toEqual(['payouts:send']);
    const audit = await t.data(
      t.account.primary.secret,
      '{ auditEvents(filter: { action: API_KEY_CREATED }) { edges { node { targetPrefix details } } } }',
    );
    const event = audit.auditEvents.edges.find((e: { node: { targetPrefix: string } }) => e.node.targetPrefix === key.prefix);
    expect(event.node.details).toMatchObject({ scopes: ['payouts:send'] });
  });

  it('refuses an unknown scope, naming it, and a malformed one', async () => {
    const unknown = refusalOf((await createScopedKey(t, t.account.primary.secret, ['invoices:read', 'ledger:close'])).res);
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    expect(unknown.message).toContain('ledger:close');
    expect(unknown.message).not.toContain('invoices:read');
    const malformed = refusalOf((await createScopedKey(t, t.account.primary.secret, ['Invoices:Read'])).res);
    expect(malformed).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
  });

  it('refuses more than 50 scopes on one key', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `many${i}:read`);
    expect(refusalOf((await createScopedKey(t, t.account.primary.secret, many)).res)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'scopes',
    });
  });

  it('lets a key grant only the scopes it holds: never one it lacks', async () => {
    expect((await keyHolding(t, granter, ['invoices:read'])).scopes).toEqual(['invoices:read']);
    const refused = refusalOf((await createScopedKey(t, granter, ['invoices:read', 'invoices:write'])).res);
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('invoices:write');
    const plain = await keyHolding(t, t.account.primary.secret, [], { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    expect(refusalOf((await createScopedKey(t, plain.secret, ['invoices:read'])).res).code).toBe('FORBIDDEN');
  });

  it('lets a key holding resource:* grant any defined scope of that resource', async () => {
    const wide = await keyHolding(t, t.account.primary.secret, ['invoices:*'], { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    expect((await keyHolding(t, wide.secret, ['invoices:write', 'invoices:read'])).scopes).toEqual(['invoices:read', 'invoices:write']);
    expect(refusalOf((await createScopedKey(t, wide.secret, ['reports:read'])).res).code).toBe('FORBIDDEN');
  });

  it('gives a client key only clientAssignable scopes, whoever grants them', async () => {
    const client = await t.seed.client(t.account.primary.secret);
    const ok = await keyHolding(t, t.account.primary.secret, ['invoices:read', 'reports:read'], { clientId: client.id });
    expect([ok.kind, ok.scopes]).toEqual(['CLIENT', ['invoices:read', 'reports:read']]);
    const refused = refusalOf((await createScopedKey(t, t.account.primary.secret, ['invoices:write'], { clientId: client.id })).res);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    expect(refused.message).toContain('invoices:write');
    expect(refusalOf(await update(t.account.primary.secret, ok.id, ['invoices:*'])).field).toBe('scopes');
  });

  it('replaces the scopes with updateApiKey (null: none), audits from and to, and leaves them when absent', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    expect(dataOf(await update(t.account.primary.secret, key.id, ['reports:read', 'invoices:write'])).updateApiKey.scopes).toEqual([
      'invoices:write',
      'reports:read',
    ]);
    const renamed = await t.data(t.account.primary.secret, UPDATE_KEY, { id: key.id, input: { name: 'renamed' } });
    expect(renamed.updateApiKey.scopes).toEqual(['invoices:write', 'reports:read']);
    expect(dataOf(await update(t.account.primary.secret, key.id, null)).updateApiKey.scopes).toEqual([]);
    const audit = await t.data(
      t.account.primary.secret,
      '{ auditEvents(filter: { action: API_KEY_UPDATED }) { edges { node { targetPrefix details } } } }',
    );
    const scopeChanges = audit.auditEvents.edges
      .filter((e: { node: { targetPrefix: string } }) => e.node.targetPrefix === key.prefix)
      .map((e: { node: { details: Record<string, unknown> } }) => e.node.details.scopes)
      .filter(Boolean);
    expect(scopeChanges).toEqual([
      { from: ['invoices:write', 'reports:read'], to: [] },
      { from: ['invoices:read'], to: ['invoices:write', 'reports:read'] },
    ]);
  });

  it('refuses an update that would leave a key holding a scope the caller lacks, and changes nothing', async () => {
    const target = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    const refused = refusalOf(await update(granter, target.id, ['invoices:read', 'payouts:send']));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('payouts:send');
    const unchanged = await t.data(t.account.primary.secret, 'query($id: ID!) { apiKey(id: $id) { scopes } }', { id: target.id });
    expect(unchanged.apiKey.scopes).toEqual(['invoices:read']);
    expect(dataOf(await update(granter, target.id, ['reports:read'])).updateApiKey.scopes).toEqual(['reports:read']);
    expect(refusalOf(await update(granter, target.id, ['ledger:close'])).field).toBe('scopes');
  });
  it('stay on the key once it is revoked: revokeApiKey and revokedKeys show the scopes it held', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:write', 'payouts:send']);
    const revoked = await t.data(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { id scopes } }', { id: key.id });
    expect(revoked.revokeApiKey).toEqual({ id: key.id, scopes: ['invoices:write', 'payouts:send'] });
    const listed = await t.data(t.account.primary.secret, '{ revokedKeys(first: 100) { edges { node { id scopes } } } }');
    expect(listed.revokedKeys.edges.map((edge: { node: unknown }) => edge.node)).toContainEqual({
      id: key.id,
      scopes: ['invoices:write', 'payouts:send'],
    });
    const plain = await keyHolding(t, t.account.primary.secret, []);
    const none = await t.data(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { scopes } }', { id: plain.id });
    expect(none.revokeApiKey.scopes).toEqual([]);
  });
});
