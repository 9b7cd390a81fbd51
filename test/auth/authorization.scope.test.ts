import { dataOf, expectDenied } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededAccount, SeededKey } from '../support/seed';
import { callers, CREATE_KEY, GET_KEY, KEY_MUTATIONS, RENAME_CLIENT } from './authorization.fixtures';

/** Where a caller reaches: a client key only its own client, nobody another account; out of reach reads as not there. */
describe('authorization', () => {
  const t = useTestServer();
  const { call, primary, snapshot } = callers(t);

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
});
