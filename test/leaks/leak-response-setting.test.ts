import { expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { SET_LEAK_RESPONSE } from './leaks.fixtures';

const ACCOUNT = '{ account { id leakResponse } }';
const AUDIT = `query { auditEvents(first: 100, filter: { targetType: ACCOUNT }) { edges { node { action actor details } } } }`;

/* Account.leakResponse: the account's own setting, changed by its developers, audited. */
describe('Account.leakResponse and updateAccountSettings', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });

  it('is DEACTIVATE for a new account', async () => {
    const account = await t.seed.account();
    expect((await t.data(account.primary.secret, ACCOUNT)).account).toEqual({ id: account.id, leakResponse: 'DEACTIVATE' });
  });

  it('is set by an admin key holding keys:write and by a developer, and audited with from and to', async () => {
    const account = await t.seed.account();
    const writer = await t.seed.key(account.primary.secret, { name: 'settings', permissions: ['KEYS_WRITE'] });
    expect((await t.data(writer.secret, SET_LEAK_RESPONSE, { leakResponse: 'REVOKE' })).updateAccountSettings).toEqual({
      id: account.id,
      leakResponse: 'REVOKE',
    });
    const developer = await userToken({ sub: 'dev@example.com', account_id: account.id, roles: ['developer'] });
    await t.data(developer, SET_LEAK_RESPONSE, { leakResponse: 'NOTIFY' });
    // Unchanged: nothing to audit.
    await t.data(developer, SET_LEAK_RESPONSE, { leakResponse: 'NOTIFY' });
    await t.data(developer, SET_LEAK_RESPONSE, { leakResponse: null });
    expect((await t.data(account.primary.secret, ACCOUNT)).account.leakResponse).toBe('NOTIFY');
    const trail = (await t.data(account.primary.secret, AUDIT)).auditEvents.edges.map((e: { node: unknown }) => e.node);
    expect(trail.filter((e: { action: string }) => e.action === 'ACCOUNT_UPDATED')).toEqual([
      { action: 'ACCOUNT_UPDATED', actor: 'user:dev@example.com', details: { leakResponse: { from: 'REVOKE', to: 'NOTIFY' } } },
      { action: 'ACCOUNT_UPDATED', actor: writer.prefix, details: { leakResponse: { from: 'DEACTIVATE', to: 'REVOKE' } } },
    ]);
  });

  it('is refused to a key without keys:write, a client key, a user without the Developer role, the operator and anonymous callers', async () => {
    const account = await t.seed.account();
    const reader = await t.seed.key(account.primary.secret, { permissions: ['KEYS_READ'] });
    const client = await t.seed.client(account.primary.secret);
    const clientWriter = await t.seed.key(account.primary.secret, { clientId: client.id, permissions: ['KEYS_WRITE'] });
    const roleless = await userToken({ sub: 'nobody@example.com', account_id: account.id });
    for (const as of [reader.secret, clientWriter.secret, roleless, t.operatorToken]) {
      expectDenied(await t.call(as, SET_LEAK_RESPONSE, { leakResponse: 'REVOKE' }), 'FORBIDDEN', 'updateAccountSettings');
    }
    expectDenied(await t.call(undefined, SET_LEAK_RESPONSE, { leakResponse: 'REVOKE' }), 'UNAUTHENTICATED', 'updateAccountSettings');
    expect((await t.data(account.primary.secret, ACCOUNT)).account.leakResponse).toBe('DEACTIVATE');
  });

  it('refuses a value that is not a LeakResponse', async () => {
    const res = await t.call(t.account.primary.secret, SET_LEAK_RESPONSE, { leakResponse: 'DELETE' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
