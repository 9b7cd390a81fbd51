import { dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { GET, keyLifecycle, RENAME, UPDATE_PERMISSIONS } from './lifecycle.fixtures';

/** Changing a key in place: its name and its permissions change, its value and prefix stay. */
describe('the API key lifecycle', () => {
  const t = useTestServer();
  const { admin, call, trail, actions, expectWorks } = keyLifecycle(t);

  describe('renameApiKey', () => {
    it('renames in place: same value, same prefix, one audit event', async () => {
      const key = await t.seed.key(admin(), { name: 'Zapier', permissions: ['LEADS_READ'] });
      const res = await call(admin(), RENAME, { id: key.id, name: '  Zapier (prod)  ' });
      expect(dataOf(res).renameApiKey).toMatchObject({
        id: key.id,
        name: 'Zapier (prod)',
        prefix: key.prefix,
        permissions: ['LEADS_READ'],
        status: 'ACTIVE',
      });
      await expectWorks(key.secret, key.prefix);
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey.name).toBe('Zapier (prod)');

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_RENAMED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: t.account.primary.prefix,
        targetType: 'API_KEY',
        targetId: key.id,
        targetPrefix: key.prefix,
        targetName: 'Zapier (prod)',
        details: { from: 'Zapier', to: 'Zapier (prod)' },
      });
    });

    it('writes no audit event when the name does not change', async () => {
      const key = await t.seed.key(admin(), { name: 'Same' });
      const res = await call(admin(), RENAME, { id: key.id, name: ' Same ' });
      expect(dataOf(res).renameApiKey.name).toBe('Same');
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });

    it.each([
      ['an empty name', '   '],
      ['a name over 100 characters', 'x'.repeat(101)],
      ['a name with a control character', 'a\u0000b'],
    ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_case, name) => {
      const key = await t.seed.key(admin(), { name: 'Untouched' });
      const res = await call(admin(), RENAME, { id: key.id, name });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(res.errors?.[0].path).toEqual(['renameApiKey']);
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey.name).toBe('Untouched');
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('updateApiKeyPermissions', () => {
    it('replaces the permissions in place: same value, one audit event', async () => {
      const key = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
      const res = await call(admin(), UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_CREATE', 'KEYS_READ'] });
      expect(dataOf(res).updateApiKeyPermissions).toMatchObject({
        id: key.id,
        prefix: key.prefix,
        permissions: ['KEYS_READ', 'LEADS_CREATE'],
      });
      const viewer = await t.call(key.secret, '{ viewer { prefix permissions } }');
      expect(dataOf(viewer).viewer).toEqual({ prefix: key.prefix, permissions: ['KEYS_READ', 'LEADS_CREATE'] });

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_PERMISSIONS_UPDATED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: t.account.primary.prefix,
        targetPrefix: key.prefix,
        details: { from: ['leads:read'], to: ['keys:read', 'leads:create'] },
      });

      // The same set in another order changes nothing and is not audited.
      const again = await call(admin(), UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_CREATE', 'KEYS_READ', 'KEYS_READ'] });
      expect(dataOf(again).updateApiKeyPermissions.permissions).toEqual(['KEYS_READ', 'LEADS_CREATE']);
      expect(await actions(key.id)).toHaveLength(2);
    });

    it('refuses to grant what the caller does not hold, and changes nothing', async () => {
      const manager = await t.seed.key(admin(), { permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] });
      const key = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
      const res = await call(manager.secret, UPDATE_PERMISSIONS, { id: key.id, permissions: ['LEADS_READ', 'LEADS_DELETE'] });
      expectDenied(res, 'FORBIDDEN', 'updateApiKeyPermissions');
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey.permissions).toEqual(['LEADS_READ']);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });
});
