import { codeOf, dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { ACTIVATE, AUDIT, DEACTIVATE, DELETE, GET, keyLifecycle, RENAME, RESET, REVOKE, UPDATE_PERMISSIONS } from './lifecycle.fixtures';

/** Whose keys a caller can change: a client key only its own client's, nobody another account's. */
describe('the API key lifecycle', () => {
  const t = useTestServer();
  const { admin, call, trail, expectWorks } = keyLifecycle(t);

  describe("a client key's scope", () => {
    it("manages its own client's keys, and finds nothing outside its client", async () => {
      const acme = await t.seed.client(admin());
      const globex = await t.seed.client(admin());
      const manager = await t.seed.key(admin(), { clientId: acme.id, permissions: ['KEYS_READ', 'KEYS_WRITE', 'AUDIT_READ'] });
      const sibling = await t.seed.key(admin(), { clientId: acme.id, name: 'sibling' });
      const adminKey = await t.seed.key(admin(), { name: 'admin' });
      const globexKey = await t.seed.key(admin(), { clientId: globex.id, name: 'globex' });

      for (const target of [adminKey, globexKey, t.account.primary]) {
        for (const [field, query, extra] of [
          ['renameApiKey', RENAME, { name: 'taken over' }],
          ['resetApiKey', RESET, {}],
          ['deactivateApiKey', DEACTIVATE, {}],
          ['revokeApiKey', REVOKE, {}],
          ['deleteApiKey', DELETE, {}],
        ] as const) {
          const res = await call(manager.secret, query, { id: target.id, ...extra });
          expect({ field, target: target.prefix, code: codeOf(res) }).toEqual({ field, target: target.prefix, code: 'NOT_FOUND' });
        }
        await expectWorks(target.secret, target.prefix);
      }

      const renamed = await call(manager.secret, RENAME, { id: sibling.id, name: 'sibling-2' });
      expect(dataOf(renamed).renameApiKey).toMatchObject({ id: sibling.id, name: 'sibling-2', client: { id: acme.id } });
      const [event] = await trail(sibling.id, manager.secret);
      expect(event).toMatchObject({ action: 'API_KEY_RENAMED', actor: manager.prefix, targetPrefix: sibling.prefix });
    });

    it('refuses permissions a client key may not hold with BAD_USER_INPUT', async () => {
      const client = await t.seed.client(admin());
      const key = await t.seed.key(admin(), { clientId: client.id, permissions: ['LEADS_READ'] });
      const res = await call(admin(), UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_READ', 'CLIENTS_READ'] });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permissions' });
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey.permissions).toEqual(['LEADS_READ']);
    });
  });

  describe("another account's key", () => {
    it.each([
      ['renameApiKey', RENAME, { name: 'mine now' }],
      ['updateApiKeyPermissions', UPDATE_PERMISSIONS, { permissions: [] }],
      ['resetApiKey', RESET, {}],
      ['deactivateApiKey', DEACTIVATE, {}],
      ['activateApiKey', ACTIVATE, {}],
      ['revokeApiKey', REVOKE, {}],
      ['deleteApiKey', DELETE, {}],
    ])('is NOT_FOUND for %s, and left alone', async (field, query, extra) => {
      const other = await t.seed.account();
      const theirs = await t.seed.key(other.primary.secret, { name: 'theirs' });
      const res = await call(admin(), query, { id: theirs.id, ...extra });
      expectDenied(res, 'NOT_FOUND', field);
      await expectWorks(theirs.secret, theirs.prefix);
      const theirTrail = dataOf(await call(other.primary.secret, AUDIT, { filter: { targetId: theirs.id, targetType: 'API_KEY' } }));
      expect(theirTrail.auditEvents.totalCount).toBe(1);
    });
  });
});
