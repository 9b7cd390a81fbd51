import { dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededKey } from '../support/seed';
import { callers, CREATE_KEY, KEY_MUTATIONS } from './authorization.fixtures';

/** What each operation needs: its permission for a key, the operator for the operator's operations, an account for the account's. */
describe('authorization', () => {
  const t = useTestServer();
  const { call, primary, snapshot } = callers(t);

  describe('permissions on operations', () => {
    let noWrite: SeededKey;
    let target: SeededKey;

    beforeAll(async () => {
      noWrite = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ', 'CLIENTS_READ', 'LEADS_READ'] });
      target = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
    });

    it.each([
      ['createApiKey', CREATE_KEY],
      ['createPlaygroundKey', 'mutation { createPlaygroundKey { secret } }'],
    ])('a key without keys:write cannot %s', async (name, query) => {
      const count = async () => dataOf(await primary('{ apiKeys { totalCount } }')).apiKeys.totalCount;
      const before = await count();
      const res = await call(noWrite.secret, query, { input: { name: 'nope' } });
      expectDenied(res, 'FORBIDDEN', name);
      expect(res.errors?.[0].message).toMatch(/keys:write/);
      expect(await count()).toBe(before);
    });

    it.each(KEY_MUTATIONS)('a key without keys:write cannot %s', async (name, query, variables) => {
      const before = await snapshot(target.id);
      const res = await call(noWrite.secret, query, { id: target.id, ...variables });
      expectDenied(res, 'FORBIDDEN', name);
      expect(await snapshot(target.id)).toEqual(before);
    });

    it.each([
      ['apiKeys', '{ apiKeys { totalCount } }'],
      ['apiKey', '{ apiKey(id: "1") { id } }'],
      ['revokedKeys', '{ revokedKeys { totalCount } }'],
    ])('a key without keys:read (nor keys:write, which includes it) cannot read %s', async (field, query) => {
      const key = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
      expectDenied(await call(key.secret, query), 'FORBIDDEN', field);
    });

    it.each([
      ['clients', '{ clients { totalCount } }', 'KEYS_READ'],
      ['client', '{ client(id: "1") { id } }', 'KEYS_READ'],
      ['createClient', 'mutation { createClient(input: { name: "x" }) { id } }', 'CLIENTS_READ'],
      ['auditEvents', '{ auditEvents { totalCount } }', 'KEYS_READ'],
    ])('a key without the permission cannot use %s', async (field, query, held) => {
      const key = await t.seed.key(t.account.primary.secret, { permissions: [held] });
      expectDenied(await call(key.secret, query), 'FORBIDDEN', field);
    });

    it('a key with no permissions still knows who it is and its account', async () => {
      const key = await t.seed.key(t.account.primary.secret);
      const res = await call(key.secret, '{ viewer { principal permissions apiKey { id } } account { id } }');
      expect(dataOf(res)).toEqual({
        viewer: { principal: 'ADMIN_KEY', permissions: [], apiKey: { id: key.id } },
        account: { id: t.account.id },
      });
    });
  });

  describe('operator and account boundaries', () => {
    const OPERATOR_ONLY: Array<[string, string]> = [
      ['createAccount', 'mutation { createAccount(input: { name: "Sneaky" }) { account { id } } }'],
      ['updateAccount', 'mutation { updateAccount(id: "1", input: { name: "Sneaky" }) { id } }'],
      ['accounts', '{ accounts { totalCount } }'],
    ];

    it.each(OPERATOR_ONLY)('%s is FORBIDDEN to the primary key', async (field, query) => {
      expectDenied(await primary(query), 'FORBIDDEN', field);
    });

    it.each(OPERATOR_ONLY)('%s is FORBIDDEN to a client key', async (field, query) => {
      const client = await t.seed.client(t.account.primary.secret);
      const key = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      expectDenied(await call(key.secret, query), 'FORBIDDEN', field);
    });

    it.each(OPERATOR_ONLY)('%s is UNAUTHENTICATED to anonymous callers', async (field, query) => {
      expectDenied(await call(undefined, query), 'UNAUTHENTICATED', field);
    });

    it('a refused createAccount creates no account', async () => {
      const count = async () => dataOf(await call(t.operatorToken, '{ accounts { totalCount } }')).accounts.totalCount;
      const before = await count();
      await primary(OPERATOR_ONLY[0][1]);
      await call(undefined, OPERATOR_ONLY[0][1]);
      expect(await count()).toBe(before);
    });

    it.each([
      ['account', '{ account { id } }'],
      ['apiKeys', '{ apiKeys { totalCount } }'],
      ['apiKey', '{ apiKey(id: "1") { id } }'],
      ['revokedKeys', '{ revokedKeys { totalCount } }'],
      ['clients', '{ clients { totalCount } }'],
      ['client', '{ client(id: "1") { id } }'],
      ['auditEvents', '{ auditEvents { totalCount } }'],
      ['createApiKey', 'mutation { createApiKey(input: { name: "op" }) { secret } }'],
      ['renameApiKey', 'mutation { renameApiKey(id: "1", name: "op") { id } }'],
      ['resetApiKey', 'mutation { resetApiKey(id: "1") { secret } }'],
      ['deleteApiKey', 'mutation { deleteApiKey(id: "1") }'],
      ['createClient', 'mutation { createClient(input: { name: "op" }) { id } }'],
      ['renameClient', 'mutation { renameClient(id: "1", name: "op") { id } }'],
    ])('the operator cannot call the account-scoped %s (FORBIDDEN)', async (field, query) => {
      expectDenied(await call(t.operatorToken, query), 'FORBIDDEN', field);
    });

    it('the operator has no account on viewer', async () => {
      const res = await call(t.operatorToken, '{ viewer { principal account { id } client { id } apiKey { id } } }');
      expect(dataOf(res).viewer).toEqual({ principal: 'OPERATOR', account: null, client: null, apiKey: null });
    });
  });
});
