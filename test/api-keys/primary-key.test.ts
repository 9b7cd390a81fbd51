import { codeOf, dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { PERMISSION_NAMES, SeededAccount } from '../support/seed';
import { AUDIT, AuditNode, DEACTIVATE, DELETE, GET, keyLifecycle, RENAME, RESET, REVOKE, UPDATE_PERMISSIONS } from './lifecycle.fixtures';

/** The primary admin key can be renamed and reset, and nothing else: no caller can end it or narrow it. */
describe('the API key lifecycle', () => {
  const t = useTestServer({}, { account: false });
  const { call, expectWorks, expectRefused } = keyLifecycle(t);

  describe('the primary admin key', () => {
    let owner: SeededAccount;
    let secret: string;

    beforeAll(async () => {
      owner = await t.seed.account();
      secret = owner.primary.secret;
    });

    const ownTrail = async () =>
      dataOf(await call(secret, AUDIT, { filter: { targetId: owner.primary.id, targetType: 'API_KEY' } })).auditEvents.edges.map(
        (edge: { node: AuditNode }) => edge.node.action,
      );

    it.each([
      ['revoked', 'revokeApiKey', REVOKE, {}],
      ['deactivated', 'deactivateApiKey', DEACTIVATE, {}],
      ['deleted', 'deleteApiKey', DELETE, {}],
      ['re-permissioned', 'updateApiKeyPermissions', UPDATE_PERMISSIONS, { permissions: ['KEYS_READ'] }],
    ])('cannot be %s: FORBIDDEN, and it keeps working with every permission', async (_case, field, query, extra) => {
      const before = await ownTrail();
      const res = await call(secret, query, { id: owner.primary.id, ...extra });
      expectDenied(res, 'FORBIDDEN', field);

      const key = dataOf(await call(secret, GET, { id: owner.primary.id })).apiKey;
      expect(key).toMatchObject({ isPrimary: true, status: 'ACTIVE', permissions: owner.primary.permissions });
      expect(owner.primary.permissions).toHaveLength(PERMISSION_NAMES.length);
      await expectWorks(secret, key.prefix);
      expect(await ownTrail()).toEqual(before);
    });

    it('refuses another admin key too', async () => {
      const other = await t.seed.key(secret, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      for (const query of [REVOKE, DEACTIVATE, DELETE]) {
        expect(codeOf(await call(other.secret, query, { id: owner.primary.id }))).toBe('FORBIDDEN');
      }
      // A narrower key resetting the primary would take over all of its permissions.
      expect(codeOf(await call(other.secret, RESET, { id: owner.primary.id }))).toBe('FORBIDDEN');
      await expectWorks(secret, owner.primary.prefix);
    });

    it('can be renamed and reset', async () => {
      const renamed = await call(secret, RENAME, { id: owner.primary.id, name: 'Main key' });
      expect(dataOf(renamed).renameApiKey).toMatchObject({ name: 'Main key', isPrimary: true, prefix: owner.primary.prefix });
      await expectWorks(secret, owner.primary.prefix);

      const reset = dataOf(await call(secret, RESET, { id: owner.primary.id })).resetApiKey;
      expect(reset.apiKey).toMatchObject({ id: owner.primary.id, name: 'Main key', isPrimary: true });
      expect(reset.apiKey.permissions).toEqual(owner.primary.permissions);
      await expectRefused(secret, owner.primary.prefix, /reset/);
      secret = reset.secret;
      await expectWorks(secret, reset.apiKey.prefix);
      expect((await ownTrail()).slice(0, 3)).toEqual(['API_KEY_RESET', 'API_KEY_RENAMED', 'API_KEY_CREATED']);
    });
  });
});
