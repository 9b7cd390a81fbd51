import { ApiKey } from '../../src/api-keys/api-key.entity';
import { Permission } from '../../src/shared/permission';
import { dataOf, expectDenied } from '../support/graphql';
import { SeededAccount, SeededKey, PERMISSION_NAMES } from '../support/seed';
import { useTestServer } from '../support/harness';

/** Every key mutation that takes a key id, with variables that would succeed for a caller allowed to make it. */
const KEY_MUTATIONS: Array<[string, string, Record<string, unknown>]> = [
  ['renameApiKey', 'mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { id } }', { name: 'renamed' }],
  [
    'updateApiKeyPermissions',
    'mutation($id: ID!, $p: [Permission!]!) { updateApiKeyPermissions(id: $id, permissions: $p) { id } }',
    { p: [] },
  ],
  ['resetApiKey', 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', {}],
  ['deactivateApiKey', 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', {}],
  ['activateApiKey', 'mutation($id: ID!) { activateApiKey(id: $id) { id } }', {}],
  ['revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "test") { id } }', {}],
  ['deleteApiKey', 'mutation($id: ID!) { deleteApiKey(id: $id) }', {}],
];

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id kind client { id } } } }';
const RENAME_CLIENT = 'mutation($id: ID!, $name: String!) { renameClient(id: $id, name: $name) { id } }';
const GET_KEY = 'query($id: ID!) { apiKey(id: $id) { id name prefix status permissions } }';

describe('authorization', () => {
  const t = useTestServer();

  const call = (as: string | undefined, query: string, variables?: Record<string, unknown>) => t.call(as, query, variables);
  const primary = (query: string, variables?: Record<string, unknown>) => call(t.account.primary.secret, query, variables);
  /** The key as the primary key sees it: proves a refused mutation changed nothing. */
  const snapshot = async (id: string) => dataOf(await primary(GET_KEY, { id })).apiKey;

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

  describe('a client key acts only on its own client', () => {
    let client: { id: string; name: string };
    let sibling: { id: string; name: string };
    let clientKey: SeededKey;
    let ownKey: SeededKey;
    let siblingKey: SeededKey;
    let adminKey: SeededKey;

    beforeAll(async () => {
      client = await t.seed.client(t.account.primary.secret, 'Scoped client');
      sibling = await t.seed.client(t.account.primary.secret, 'Sibling client');
      clientKey = await t.seed.key(t.account.primary.secret, {
        clientId: client.id,
        permissions: ['KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'],
      });
      ownKey = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ'] });
      siblingKey = await t.seed.key(t.account.primary.secret, { clientId: sibling.id, permissions: ['LEADS_READ'] });
      adminKey = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
    });

    it('lists only its client’s keys', async () => {
      const res = await call(clientKey.secret, '{ apiKeys { totalCount edges { node { id kind client { id } } } } }');
      const { apiKeys } = dataOf(res);
      const ids = apiKeys.edges.map((e: any) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining([clientKey.id, ownKey.id]));
      expect(ids).not.toContain(siblingKey.id);
      expect(ids).not.toContain(adminKey.id);
      expect(ids).not.toContain(t.account.primary.id);
      for (const edge of apiKeys.edges) expect(edge.node).toMatchObject({ kind: 'CLIENT', client: { id: client.id } });
      expect(apiKeys.totalCount).toBe(ids.length);
    });

    it('filtering by another client finds nothing', async () => {
      const res = await call(clientKey.secret, 'query($c: ID!) { apiKeys(filter: { clientId: $c }) { totalCount } }', { c: sibling.id });
      expect(dataOf(res).apiKeys.totalCount).toBe(0);
    });

    it.each([
      ['another client’s key', () => siblingKey.id],
      ['an admin key', () => adminKey.id],
      ['the primary key', () => t.account.primary.id],
    ])('apiKey(id) of %s is null', async (_case, id) => {
      const res = await call(clientKey.secret, GET_KEY, { id: id() });
      expect(res.errors).toBeUndefined();
      expect(res.data.apiKey).toBeNull();
    });

    it('apiKey(id) of a key of its own client resolves', async () => {
      const res = await call(clientKey.secret, GET_KEY, { id: ownKey.id });
      expect(dataOf(res).apiKey.id).toBe(ownKey.id);
    });

    const targets: Array<[string, () => SeededKey]> = [
      ['another client’s key', () => siblingKey],
      ['an admin key', () => adminKey],
    ];
    it.each(
      KEY_MUTATIONS.flatMap(([name, query, variables]) => targets.map(([what, key]) => [name, what, query, variables, key] as const)),
    )('%s on %s is NOT_FOUND and changes nothing', async (name, _what, query, variables, key) => {
      const target = key();
      const before = await snapshot(target.id);
      const res = await call(clientKey.secret, query, { id: target.id, ...variables });
      expectDenied(res, 'NOT_FOUND', name);
      expect(await snapshot(target.id)).toEqual(before);
    });

    it('creating a key for another client is NOT_FOUND', async () => {
      const res = await call(clientKey.secret, CREATE_KEY, { input: { name: 'elsewhere', clientId: sibling.id } });
      expectDenied(res, 'NOT_FOUND', 'createApiKey');
    });

    it('creating a key without clientId makes a key for its own client', async () => {
      const res = await call(clientKey.secret, CREATE_KEY, { input: { name: 'mine', permissions: ['LEADS_READ'] } });
      const { secret, apiKey } = dataOf(res).createApiKey;
      expect(secret).toMatch(/^cl_/);
      expect(apiKey).toMatchObject({ kind: 'CLIENT', client: { id: client.id } });
    });

    it('creating a key with its own clientId works too', async () => {
      const res = await call(clientKey.secret, CREATE_KEY, { input: { name: 'mine-too', clientId: client.id } });
      expect(dataOf(res).createApiKey.apiKey).toMatchObject({ kind: 'CLIENT', client: { id: client.id } });
    });

    it('sees its own client through viewer, and not the client list', async () => {
      const viewer = await call(clientKey.secret, '{ viewer { principal client { id name } } }');
      expect(dataOf(viewer).viewer).toEqual({ principal: 'CLIENT_KEY', client: { id: client.id, name: 'Scoped client' } });
      expectDenied(await call(clientKey.secret, '{ clients { totalCount } }'), 'FORBIDDEN', 'clients');
    });
  });

  describe('another account is invisible', () => {
    let other: SeededAccount;
    let theirClient: { id: string; name: string };
    let theirKey: SeededKey;

    beforeAll(async () => {
      other = await t.seed.account();
      theirClient = await t.seed.client(other.primary.secret, 'Their client');
      theirKey = await t.seed.key(other.primary.secret, { permissions: ['LEADS_READ'] });
    });

    const theirs = (id: string) => t.call(other.primary.secret, GET_KEY, { id });

    it.each(
      KEY_MUTATIONS.flatMap(([name, query, variables]) => [
        [name, 'their key', query, variables, () => theirKey.id] as const,
        [name, 'their primary key', query, variables, () => other.primary.id] as const,
      ]),
    )('%s on %s is NOT_FOUND and changes nothing', async (name, _what, query, variables, id) => {
      const before = dataOf(await theirs(id())).apiKey;
      const res = await primary(query, { id: id(), ...variables });
      expectDenied(res, 'NOT_FOUND', name);
      expect(dataOf(await theirs(id())).apiKey).toEqual(before);
    });

    it('creating a key for their client is NOT_FOUND', async () => {
      expectDenied(await primary(CREATE_KEY, { input: { name: 'x', clientId: theirClient.id } }), 'NOT_FOUND', 'createApiKey');
    });

    it('renaming their client is NOT_FOUND and changes nothing', async () => {
      expectDenied(await primary(RENAME_CLIENT, { id: theirClient.id, name: 'Mine now' }), 'NOT_FOUND', 'renameClient');
      const res = await t.call(other.primary.secret, 'query($id: ID!) { client(id: $id) { name } }', { id: theirClient.id });
      expect(dataOf(res).client.name).toBe('Their client');
    });

    it.each([
      ['apiKey', 'query($id: ID!) { apiKey(id: $id) { id } }', () => theirKey.id],
      ['client', 'query($id: ID!) { client(id: $id) { id } }', () => theirClient.id],
    ])('%s(id) of theirs is null', async (field, query, id) => {
      const res = await primary(query, { id: id() });
      expect(res.errors).toBeUndefined();
      expect(res.data[field]).toBeNull();
    });

    it('their keys, clients and audit events appear in no list or filter', async () => {
      const res = await primary(
        `query($key: ID!, $client: ID!, $prefix: String!) {
          byKey: auditEvents(filter: { targetId: $key, targetType: API_KEY }) { totalCount }
          byClient: auditEvents(filter: { targetId: $client, targetType: CLIENT }) { totalCount }
          byPrefix: auditEvents(filter: { targetPrefix: $prefix }) { totalCount }
          byAccount: auditEvents(filter: { targetId: "${other.id}", targetType: ACCOUNT }) { totalCount }
          keys: apiKeys(filter: { clientId: $client }) { totalCount }
          clients(filter: { name: "Their client" }) { totalCount }
        }`,
        { key: theirKey.id, client: theirClient.id, prefix: theirKey.prefix },
      );
      expect(dataOf(res)).toEqual({
        byKey: { totalCount: 0 },
        byClient: { totalCount: 0 },
        byPrefix: { totalCount: 0 },
        byAccount: { totalCount: 0 },
        keys: { totalCount: 0 },
        clients: { totalCount: 0 },
      });
      // The same filters do find them for their own account: the filters are not simply broken.
      const own = await t.call(
        other.primary.secret,
        `query($key: ID!) { auditEvents(filter: { targetId: $key, targetType: API_KEY }) { totalCount } }`,
        { key: theirKey.id },
      );
      expect(dataOf(own).auditEvents.totalCount).toBe(1);
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
