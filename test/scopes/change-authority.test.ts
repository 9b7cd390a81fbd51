import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { defineScopes, keyHolding, refusalOf } from './scopes.fixtures';

const RESET = 'mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { scopes } } }';
const RENAME = 'mutation($id: ID!) { renameApiKey(id: $id, name: "renamed") { id } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }';

/*
 * No escalation through someone else's key: a reset hands its new value to
 * the caller, so a key may change (reset, rename, revoke, …) only keys whose
 * platform scopes it holds too, as with permissions.
 */
describe('changing a key that holds platform scopes', () => {
  const t = useTestServer();
  const manager = { permissions: ['KEYS_READ', 'KEYS_WRITE'] };

  beforeAll(async () => {
    await defineScopes(t, 'payouts:send', 'payouts:*', 'reports:read');
  });

  const call = (as: string, query: string, id: string) => graphql(t.url, { as, query, variables: { id } });

  it('refuses a key lacking one of the target’s scopes, for every change', async () => {
    const target = await keyHolding(t, t.account.primary.secret, ['payouts:send', 'reports:read']);
    const narrow = await keyHolding(t, t.account.primary.secret, ['reports:read'], manager);
    for (const query of [RESET, RENAME, REVOKE]) {
      const refused = refusalOf(await call(narrow.secret, query, target.id));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toContain('payouts:send');
    }
  });

  it('lets a key holding them (or their wildcard), and the primary key, change it', async () => {
    const target = await keyHolding(t, t.account.primary.secret, ['payouts:send']);
    const wide = await keyHolding(t, t.account.primary.secret, ['payouts:*'], manager);
    const reset = await call(wide.secret, RESET, target.id);
    expect(reset.data?.resetApiKey.apiKey.scopes).toEqual(['payouts:send']);
    expect((await call(t.account.primary.secret, RENAME, target.id)).errors).toBeUndefined();
    const plain = await keyHolding(t, t.account.primary.secret, [], manager);
    const unscoped = await keyHolding(t, t.account.primary.secret, []);
    expect((await call(plain.secret, REVOKE, unscoped.id)).errors).toBeUndefined();
  });
});
