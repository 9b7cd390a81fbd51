import { codeOf, dataOf } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { okData, rest } from '../rest/rest-client';

/**
 * Who may change a key: keys:write includes keys:read, and one may change a
 * key (rename, re-permission, (de)activate, revoke, delete, reset) only when
 * one holds every permission the key holds.
 */

const PATH = '/api/v1/client/api-key';
const KEY = 'id name status permissions lastUsedAt client { id }';

/** Every change of a key, with variables that succeed for a caller allowed to make it, and the verb its refusal names. */
const CHANGES: Array<[string, string, string, Record<string, unknown>]> = [
  ['renameApiKey', 'rename', `mutation($id: ID!) { renameApiKey(id: $id, name: "taken") { ${KEY} } }`, {}],
  [
    'updateApiKeyPermissions',
    're-permission',
    `mutation($id: ID!, $p: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $p) { ${KEY} } }`,
    { p: [] },
  ],
  ['deactivateApiKey', 'deactivate', `mutation($id: ID!) { deactivateApiKey(id: $id) { ${KEY} } }`, {}],
  ['activateApiKey', 'activate', `mutation($id: ID!) { activateApiKey(id: $id) { ${KEY} } }`, {}],
  ['revokeApiKey', 'revoke', 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "taken") { id name permissions } }', {}],
  ['deleteApiKey', 'delete', 'mutation($id: ID!) { deleteApiKey(id: $id) }', {}],
  ['resetApiKey', 'reset', `mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { ${KEY} } } }`, {}],
];

describe('who may change a key', () => {
  const t = useTestServer();
  const admin = () => t.account.primary.secret;

  const call = (as: string, query: string, variables?: Record<string, unknown>) => t.call(as, query, variables);
  const asOwner = async (id: string) => dataOf(await call(admin(), `query($id: ID!) { apiKey(id: $id) { ${KEY} prefix } }`, { id })).apiKey;

  describe('keys:write includes keys:read', () => {
    let writer: SeededKey;

    beforeAll(async () => {
      writer = await t.seed.key(admin(), { name: 'writer', permissions: ['KEYS_WRITE'] });
    });

    it('reads keys, one and all, through GraphQL', async () => {
      const target = await t.seed.key(admin(), { name: 'readable' });
      const res = await call(
        writer.secret,
        'query($id: ID!) { apiKey(id: $id) { id name } apiKeys { totalCount } revokedKeys { totalCount } }',
        {
          id: target.id,
        },
      );
      const data = dataOf(res);
      expect(data.apiKey).toEqual({ id: target.id, name: 'readable' });
      expect(data.apiKeys.totalCount).toBeGreaterThanOrEqual(3);
      expect(data.revokedKeys.totalCount).toBe(0);
    });

    it('lists client keys through REST', async () => {
      const client = await t.seed.client(admin());
      const target = await t.seed.key(admin(), { clientId: client.id, name: 'listed' });
      const res = await rest(t.url, { method: 'GET', path: PATH, query: { clientId: client.id }, as: writer.secret });
      expect(okData(res).map((k: { id: unknown }) => String(k.id))).toEqual([target.id]);
    });

    it('and a key holding keys:write may grant keys:read, which it holds through it', async () => {
      const res = await call(
        writer.secret,
        'mutation { createApiKey(input: { name: "reader", permissions: [KEYS_READ] }) { apiKey { permissions } } }',
      );
      expect(dataOf(res).createApiKey.apiKey.permissions).toEqual(['KEYS_READ']);
    });
  });

  describe('a key that holds something the caller lacks', () => {
    let writer: SeededKey;

    beforeAll(async () => {
      writer = await t.seed.key(admin(), { name: 'writer', permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'] });
    });

    it.each(CHANGES)(
      'cannot be changed by %s: FORBIDDEN naming what it lacks, nothing of the key in the answer, nothing changed',
      async (field, verb, query, extra) => {
        const stronger = await t.seed.key(admin(), { name: 'stronger', permissions: ['LEADS_READ', 'LEADS_DELETE'] });
        if (field === 'activateApiKey')
          dataOf(await call(admin(), 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: stronger.id }));
        const before = await asOwner(stronger.id);
        const res = await call(writer.secret, query, { id: stronger.id, ...extra });
        expect(res.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', [field]]]);
        expect(res.errors?.[0].message).toBe(
          verb === 'reset'
            ? `Resetting ${stronger.prefix} would hand you leads:delete, which you do not hold`
            : `You cannot ${verb} ${stronger.prefix}: it holds leads:delete, which you do not hold`,
        );
        expect(res.data?.[field] ?? null).toBeNull();
        expect(await asOwner(stronger.id)).toEqual(before);
      },
    );

    it.each(CHANGES)('can be changed by %s once the caller holds all of it', async (field, _verb, query, extra) => {
      const weaker = await t.seed.key(admin(), { name: 'weaker', permissions: ['LEADS_READ', 'KEYS_READ'] });
      const res = await call(writer.secret, query, { id: weaker.id, ...extra });
      expect(dataOf(res)[field]).toBeTruthy();
    });

    it('the primary key, which holds everything, can be renamed only by a caller holding everything', async () => {
      const res = await call(writer.secret, 'mutation($id: ID!) { renameApiKey(id: $id, name: "mine now") { id } }', {
        id: t.account.primary.id,
      });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect((await asOwner(t.account.primary.id)).name).toBe('Primary admin key');
    });

    it('a no-op activation of a key holding more reveals nothing of it', async () => {
      const writeOnly = await t.seed.key(admin(), { name: 'write only', permissions: ['KEYS_WRITE'] });
      const active = await t.seed.key(admin(), { name: 'secretive', permissions: ['LEADS_READ'] });
      const res = await call(writeOnly.secret, `mutation($id: ID!) { activateApiKey(id: $id) { ${KEY} } }`, { id: active.id });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(JSON.stringify(res)).not.toContain('secretive');
    });
  });

  describe('through REST, the same rule', () => {
    let client: { id: string };
    let writer: SeededKey;

    beforeAll(async () => {
      client = await t.seed.client(admin());
      writer = await t.seed.key(admin(), { clientId: client.id, name: 'writer', permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    });

    it('refuses to delete a client key holding more with 403, and the key stays', async () => {
      const stronger = await t.seed.key(admin(), { clientId: client.id, name: 'stronger', permissions: ['LEADS_DELETE'] });
      const res = await rest(t.url, { method: 'DELETE', path: `${PATH}/${stronger.id}`, as: writer.secret });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        success: false,
        error: { code: 'FORBIDDEN', message: `You cannot delete ${stronger.prefix}: it holds leads:delete, which you do not hold` },
      });
      expect((await asOwner(stronger.id)).status).toBe('ACTIVE');
    });

    it('deletes one whose permissions it holds', async () => {
      const weaker = await t.seed.key(admin(), { clientId: client.id, name: 'weaker', permissions: ['KEYS_READ'] });
      const res = await rest(t.url, { method: 'DELETE', path: `${PATH}/${weaker.id}`, as: writer.secret });
      expect(okData(res)).toMatchObject({ deleted: true });
    });
  });
});
