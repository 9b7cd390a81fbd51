import { ApiKey } from '../../src/api-keys/api-key.entity';
import { Permission } from '../../src/shared/permission';
import { dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededKey, PERMISSION_NAMES } from '../support/seed';
import { callers, CREATE_KEY } from './authorization.fixtures';

/** No caller hands out more than it holds: not by creating or re-permissioning a key, nor by resetting one and taking its value. */
describe('authorization', () => {
  const t = useTestServer();
  const { call, primary, snapshot } = callers(t);

  describe('nobody grants what it does not hold', () => {
    let narrow: SeededKey;

    beforeAll(async () => {
      narrow = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] });
    });

    it('createApiKey with a permission the caller lacks is FORBIDDEN and creates nothing', async () => {
      const count = async () => dataOf(await primary('{ apiKeys { totalCount } }')).apiKeys.totalCount;
      const before = await count();
      const res = await call(narrow.secret, CREATE_KEY, { input: { name: 'wider', permissions: ['LEADS_READ', 'LEADS_DELETE'] } });
      expectDenied(res, 'FORBIDDEN', 'createApiKey');
      expect(res.errors?.[0].message).toMatch(/leads:delete/);
      expect(await count()).toBe(before);
    });

    it('createApiKey with only held permissions works', async () => {
      const res = await call(narrow.secret, CREATE_KEY, { input: { name: 'same', permissions: ['LEADS_READ', 'KEYS_READ'] } });
      expect(dataOf(res).createApiKey.apiKey.kind).toBe('ADMIN');
    });

    it('updateApiKeyPermissions adding a permission the caller lacks is FORBIDDEN', async () => {
      const target = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
      const before = await snapshot(target.id);
      const res = await call(
        narrow.secret,
        'mutation($id: ID!) { updateApiKeyPermissions(id: $id, permissions: [LEADS_READ, AUDIT_READ]) { id } }',
        { id: target.id },
      );
      expectDenied(res, 'FORBIDDEN', 'updateApiKeyPermissions');
      expect(await snapshot(target.id)).toEqual(before);
    });

    it('a key cannot widen its own permissions', async () => {
      const res = await call(
        narrow.secret,
        'mutation($id: ID!) { updateApiKeyPermissions(id: $id, permissions: [KEYS_READ, KEYS_WRITE, LEADS_READ, CLIENTS_WRITE]) { id } }',
        { id: narrow.id },
      );
      expectDenied(res, 'FORBIDDEN', 'updateApiKeyPermissions');
    });

    it.each([
      ['clients:read', 'CLIENTS_READ'],
      ['clients:write', 'CLIENTS_WRITE'],
      ['keys:verify', 'KEYS_VERIFY'],
    ])('a client key cannot hold %s (BAD_USER_INPUT on permissions)', async (_name, permission) => {
      const client = await t.seed.client(t.account.primary.secret);
      const created = await call(t.account.primary.secret, CREATE_KEY, {
        input: { name: 'client-key', clientId: client.id, permissions: ['LEADS_READ', permission] },
      });
      expectDenied(created, 'BAD_USER_INPUT', 'createApiKey');
      expect(created.errors?.[0].extensions?.field).toBe('permissions');

      const key = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ'] });
      const updated = await primary('mutation($id: ID!, $p: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $p) { id } }', {
        id: key.id,
        p: ['LEADS_READ', permission],
      });
      expectDenied(updated, 'BAD_USER_INPUT', 'updateApiKeyPermissions');
      expect(updated.errors?.[0].extensions?.field).toBe('permissions');
      expect((await snapshot(key.id)).permissions).toEqual(['LEADS_READ']);
    });
  });

  describe('reset hands over the key, so the caller must hold all it holds', () => {
    it('a narrow key with keys:write cannot reset the primary key and take it over', async () => {
      const narrow = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const before = await snapshot(t.account.primary.id);
      const res = await call(narrow.secret, 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: t.account.primary.id });
      expectDenied(res, 'FORBIDDEN', 'resetApiKey');
      expect(res.data).toBeNull();
      expect(await snapshot(t.account.primary.id)).toEqual(before);
      // The primary's value still works: nothing was rotated.
      expect(dataOf(await primary('{ viewer { prefix } }')).viewer.prefix).toBe(t.account.primary.prefix);
    });

    it('the primary key counts as holding every permission, even one its stored list lacks', async () => {
      const other = await t.seed.account();
      const allButVerify = PERMISSION_NAMES.filter((p) => p !== 'KEYS_VERIFY');
      const almost = await t.seed.key(other.primary.secret, { permissions: allButVerify });
      // Simulates a permission added to the catalogue after the primary key was made:
      // its stored list lacks it, yet the primary holds every permission by definition.
      const stored = Object.values(Permission).filter((p) => p !== Permission.KEYS_VERIFY);
      await t.server.dataSource.getRepository(ApiKey).update({ id: Number(other.primary.id) }, { permissions: stored });
      const res = await call(almost.secret, 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: other.primary.id });
      expectDenied(res, 'FORBIDDEN', 'resetApiKey');
    });

    it('a key that holds everything the target holds may reset it', async () => {
      const narrow = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] });
      const target = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
      const res = await call(narrow.secret, 'mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { id } } }', { id: target.id });
      expect(dataOf(res).resetApiKey.apiKey.id).toBe(target.id);
    });

    it('a client key cannot reset a key of its client that holds more than it does', async () => {
      const client = await t.seed.client(t.account.primary.secret);
      const writer = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['KEYS_READ', 'KEYS_WRITE'] });
      const wider = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ', 'LEADS_DELETE'] });
      const res = await call(writer.secret, 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: wider.id });
      expectDenied(res, 'FORBIDDEN', 'resetApiKey');
    });
  });
});
