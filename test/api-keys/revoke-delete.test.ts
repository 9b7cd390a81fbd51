import { codeOf, dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededKey } from '../support/seed';
import { ACTIVATE, DELETE, GET, keyLifecycle, RENAME, RESET, REVOKE, UPDATE_PERMISSIONS } from './lifecycle.fixtures';

/** Ending a key: revoked keys keep their history in revokedKeys, deleted ones leave only their audit events; neither comes back. */
describe('the API key lifecycle', () => {
  const t = useTestServer();
  const { admin, call, trail, actions, expectWorks, expectRefused, listedIds } = keyLifecycle(t);

  describe('revokeApiKey', () => {
    let actor: SeededKey;

    beforeAll(async () => {
      actor = await t.seed.key(admin(), {
        name: 'ops',
        permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ', 'LEADS_CREATE', 'AUDIT_READ'],
      });
    });

    it('moves the key to revokedKeys with its history, recording who revoked it and why', async () => {
      const client = await t.seed.client(admin(), 'Acme');
      const key = await t.seed.key(admin(), { name: 'acme-sync', clientId: client.id, permissions: ['LEADS_READ', 'LEADS_CREATE'] });
      const before = dataOf(await call(admin(), GET, { id: key.id })).apiKey;

      const startedAt = Date.now();
      const res = await call(actor.secret, REVOKE, { id: key.id, reason: '  leaked in a gist  ' });
      const revoked = dataOf(res).revokeApiKey;
      expect(revoked).toMatchObject({
        id: key.id,
        name: 'acme-sync',
        prefix: key.prefix,
        kind: 'CLIENT',
        client: { id: client.id, name: 'Acme' },
        permissions: ['LEADS_READ', 'LEADS_CREATE'],
        createdAt: before.createdAt,
        lastUsedAt: null,
        revokedBy: actor.prefix,
        reason: 'leaked in a gist',
      });
      expect(Date.parse(revoked.revokedAt)).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(Date.parse(revoked.revokedAt)).toBeLessThanOrEqual(Date.now() + 1000);

      expect(await listedIds('apiKeys')).not.toContain(key.id);
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey).toBeNull();
      const listed = dataOf(
        await call(admin(), `{ revokedKeys(first: 100) { edges { node { id prefix revokedBy reason } } } }`, {}),
      ).revokedKeys.edges.map((edge: { node: unknown }) => edge.node);
      expect(listed).toContainEqual({ id: key.id, prefix: key.prefix, revokedBy: actor.prefix, reason: 'leaked in a gist' });

      await expectRefused(key.secret, key.prefix, /was revoked/);

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_REVOKED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({
        actor: actor.prefix,
        targetPrefix: key.prefix,
        targetName: 'acme-sync',
        details: { reason: 'leaked in a gist' },
      });
    });

    it('is permanent: the revoked key can no longer be activated, renamed, reset, revoked or deleted', async () => {
      const key = await t.seed.key(admin(), { name: 'gone' });
      dataOf(await call(admin(), REVOKE, { id: key.id }));
      const attempts: Array<[string, string, Record<string, unknown>]> = [
        ['activateApiKey', ACTIVATE, { id: key.id }],
        ['renameApiKey', RENAME, { id: key.id, name: 'back' }],
        ['resetApiKey', RESET, { id: key.id }],
        ['updateApiKeyPermissions', UPDATE_PERMISSIONS, { id: key.id, permissions: [] }],
        ['revokeApiKey', REVOKE, { id: key.id }],
        ['deleteApiKey', DELETE, { id: key.id }],
      ];
      for (const [field, query, variables] of attempts) {
        const res = await call(admin(), query, variables);
        expect({ field, code: codeOf(res), path: res.errors?.[0].path }).toEqual({ field, code: 'NOT_FOUND', path: [field] });
      }
      await expectRefused(key.secret, key.prefix, /was revoked/);
      expect(await actions(key.id)).toEqual(['API_KEY_REVOKED', 'API_KEY_CREATED']);
    });

    it('also ends an old value that was still in its reset grace period, saying it was revoked', async () => {
      const key = await t.seed.key(admin(), { name: 'rotating' });
      const reset = dataOf(await call(admin(), RESET, { id: key.id, grace: 3600 })).resetApiKey;
      await expectWorks(key.secret, reset.apiKey.prefix);
      dataOf(await call(admin(), REVOKE, { id: key.id }));
      await expectRefused(key.secret, key.prefix, /was revoked/);
      await expectRefused(reset.secret, reset.apiKey.prefix, /was revoked/);
    });

    it('refuses a reason over 500 characters and keeps the key', async () => {
      const key = await t.seed.key(admin());
      const res = await call(admin(), REVOKE, { id: key.id, reason: 'x'.repeat(501) });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      await expectWorks(key.secret, key.prefix);
      expect(await actions(key.id)).toEqual(['API_KEY_CREATED']);
    });
  });

  describe('deleteApiKey', () => {
    it('removes the key with no history but its audit events, and returns its id', async () => {
      const key = await t.seed.key(admin(), { name: 'temporary' });
      const res = await call(admin(), DELETE, { id: key.id });
      expect(dataOf(res).deleteApiKey).toBe(key.id);

      await expectRefused(key.secret, key.prefix);
      expect(await listedIds('apiKeys')).not.toContain(key.id);
      expect(await listedIds('revokedKeys')).not.toContain(key.id);
      expect(dataOf(await call(admin(), GET, { id: key.id })).apiKey).toBeNull();

      const events = await trail(key.id);
      expect(events.map((e) => e.action)).toEqual(['API_KEY_DELETED', 'API_KEY_CREATED']);
      expect(events[0]).toMatchObject({ actor: t.account.primary.prefix, targetPrefix: key.prefix, targetName: 'temporary' });

      const again = await call(admin(), DELETE, { id: key.id });
      expect(codeOf(again)).toBe('NOT_FOUND');
      expect(await actions(key.id)).toHaveLength(2);
    });
  });
});
