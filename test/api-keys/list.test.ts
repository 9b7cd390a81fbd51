import { codeOf, dataOf, GraphQLResponse } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';

const LIST = `query($filter: ApiKeyFilter, $first: Int, $after: String) {
  apiKeys(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name kind status isPrimary prefix client { id } } }
  }
}`;

const REVOKED = `query($filter: RevokedKeyFilter, $first: Int, $after: String) {
  revokedKeys(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name prefix kind client { id } } }
  }
}`;

interface KeyNode {
  id: string;
  name: string;
  kind: string;
  status: string;
  isPrimary: boolean;
  prefix: string;
  client: { id: string } | null;
}

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: N }>;
}

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('listing API keys', () => {
  const t = useTestServer({}, { account: false });

  function list(as: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
    return t.call(as, LIST, variables);
  }

  async function page(as: string, variables: Record<string, unknown> = {}): Promise<Connection<KeyNode>> {
    return dataOf(await list(as, variables)).apiKeys;
  }

  async function names(as: string, filter: Record<string, unknown>): Promise<string[]> {
    const connection = await page(as, { filter, first: 100 });
    // totalCount is counted separately from the page: both must honour the filter.
    expect(connection.totalCount).toBe(connection.edges.length);
    return connection.edges.map((edge) => edge.node.name);
  }

  async function revokedPage(as: string, variables: Record<string, unknown> = {}): Promise<Connection<KeyNode>> {
    return (await t.data(as, REVOKED, variables)).revokedKeys;
  }

  async function mutate(as: string, query: string, variables: Record<string, unknown>) {
    return await t.data(as, query, variables);
  }

  const deactivate = (as: string, id: string) => mutate(as, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id status } }', { id });
  const revoke = (as: string, id: string) => mutate(as, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });

  describe('ordering and pagination', () => {
    it("lists the account's live keys newest first, the primary key included, and nobody else's", async () => {
      const account = await t.seed.account();
      const other = await t.seed.account();
      await t.seed.key(other.primary.secret, { name: 'not mine' });
      const a = await t.seed.key(account.primary.secret, { name: 'first' });
      const b = await t.seed.key(account.primary.secret, { name: 'second' });
      const c = await t.seed.key(account.primary.secret, { name: 'third' });

      const connection = await page(account.primary.secret);
      expect(connection.edges.map((e) => e.node.id)).toEqual([c.id, b.id, a.id, account.primary.id]);
      expect(connection.edges.map((e) => e.node.name)).toEqual(['third', 'second', 'first', 'Primary admin key']);
      expect(connection.edges[3].node).toMatchObject({ isPrimary: true, kind: 'ADMIN', status: 'ACTIVE' });
      expect(connection.totalCount).toBe(4);
      expect(connection.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: connection.edges[0].cursor,
        endCursor: connection.edges[3].cursor,
      });
    });

    it('pages through every key with keyset cursors: no duplicates, no gaps, stable under inserts', async () => {
      const account = await t.seed.account();
      for (let i = 1; i <= 11; i++) await t.seed.key(account.primary.secret, { name: `key ${i}` });
      const everything = await page(account.primary.secret, { first: 100 });
      const allIds = everything.edges.map((e) => e.node.id);
      expect(allIds).toHaveLength(12);
      expect(allIds.map(Number)).toEqual([...allIds.map(Number)].sort((x, y) => y - x));

      const seen: string[] = [];
      const first = await page(account.primary.secret, { first: 5 });
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first.pageInfo.startCursor).toBe(first.edges[0].cursor);
      expect(first.pageInfo.endCursor).toBe(first.edges[4].cursor);
      seen.push(...first.edges.map((e) => e.node.id));

      // A key made while the client pages goes to the front and must not shift the next page.
      const late = await t.seed.key(account.primary.secret, { name: 'made while paging' });

      const second = await page(account.primary.secret, { first: 5, after: first.pageInfo.endCursor });
      expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      expect(second.totalCount).toBe(13);
      seen.push(...second.edges.map((e) => e.node.id));

      const third = await page(account.primary.secret, { first: 5, after: second.pageInfo.endCursor });
      expect(third.edges).toHaveLength(2);
      expect(third.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect(third.pageInfo.endCursor).toBe(third.edges[1].cursor);
      seen.push(...third.edges.map((e) => e.node.id));

      expect(seen).toEqual(allIds);
      expect(seen).not.toContain(late.id);

      // Every edge's own cursor continues right after that edge.
      const fromMiddle = await page(account.primary.secret, { first: 3, after: first.edges[2].cursor });
      expect(fromMiddle.edges.map((e) => e.node.id)).toEqual(allIds.slice(3, 6));
    });

    it('answers an empty page with hasNextPage for first: 0, and accepts first: 100', async () => {
      const account = await t.seed.account();
      await t.seed.key(account.primary.secret);
      const empty = await page(account.primary.secret, { first: 0 });
      expect(empty.edges).toEqual([]);
      expect(empty.totalCount).toBe(2);
      expect(empty.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });

      expect((await page(account.primary.secret, { first: 100 })).edges).toHaveLength(2);
    });

    it('defaults to 50 keys a page', async () => {
      // 25 admin keys per account and 25 per client: two clients make 51 live keys.
      const account = await t.seed.account();
      const clients = [await t.seed.client(account.primary.secret), await t.seed.client(account.primary.secret)];
      const created = [];
      for (const client of clients) {
        for (let i = 0; i < 25; i++) created.push(t.seed.key(account.primary.secret, { clientId: client.id }));
      }
      await Promise.all(created);
      const connection = await page(account.primary.secret);
      expect(connection.edges).toHaveLength(50);
      expect(connection.totalCount).toBe(51);
      expect(connection.pageInfo.hasNextPage).toBe(true);
    });

    it.each([
      ['over 100', 101],
      ['negative', -1],
    ])('refuses a page size %s with BAD_USER_INPUT naming first', async (_case, first) => {
      const account = await t.seed.account();
      const res = await list(account.primary.secret, { first });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('first');
      expect(res.errors?.[0].path).toEqual(['apiKeys']);
      expect(res.data).toEqual({ apiKeys: null });
    });

    it.each([
      ['a plain word', 'garbage'],
      ['base64 of something else', cursorOf('not-a-cursor')],
      ['a negative id', cursorOf('id:-5')],
      ['a fractional id', cursorOf('id:1.5')],
      ['a non-numeric id', cursorOf('id:abc')],
      ['an empty id', cursorOf('id:')],
      ['a hexadecimal id', cursorOf('id:0x10')],
      ['an id in exponent form', cursorOf('id:1e3')],
      ['an id with trailing bytes', cursorOf('id:12\u0000')],
      ['a cursor with characters outside base64url', `${cursorOf('id:12')}$$`],
    ])('refuses %s as after with BAD_USER_INPUT naming after', async (_case, after) => {
      const account = await t.seed.account();
      const res = await list(account.primary.secret, { after });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('after');
      expect(res.errors?.[0].path).toEqual(['apiKeys']);
    });
  });

  describe('filters', () => {
    let account: SeededAccount;

    beforeAll(async () => {
      account = await t.seed.account();
      for (const name of ['50% off', 'a_b', 'axb', 'Zapier sync', 'zapier-backup', 'Clay', 'wow!', 'back\\slash']) {
        await t.seed.key(account.primary.secret, { name });
      }
    });

    it('matches names partially and case-insensitively, and totalCount follows the filter', async () => {
      expect(await names(account.primary.secret, { name: 'ZAPIER' })).toEqual(['zapier-backup', 'Zapier sync']);
      expect(await names(account.primary.secret, { name: 'lay' })).toEqual(['Clay']);
      expect(await names(account.primary.secret, { name: 'primary ADMIN' })).toEqual(['Primary admin key']);
      expect(await names(account.primary.secret, { name: 'nothing like it' })).toEqual([]);
    });

    it('takes % and _ literally, and the LIKE escape character and backslash too', async () => {
      expect(await names(account.primary.secret, { name: '%' })).toEqual(['50% off']);
      expect(await names(account.primary.secret, { name: '0% OF' })).toEqual(['50% off']);
      expect(await names(account.primary.secret, { name: '_' })).toEqual(['a_b']);
      expect(await names(account.primary.secret, { name: 'a_b' })).toEqual(['a_b']);
      expect(await names(account.primary.secret, { name: '!' })).toEqual(['wow!']);
      expect(await names(account.primary.secret, { name: '\\' })).toEqual(['back\\slash']);
    });

    it('filters by kind and by client, alone and together', async () => {
      const acme = await t.seed.client(account.primary.secret, 'Acme');
      const globex = await t.seed.client(account.primary.secret, 'Globex');
      const acmeKey = await t.seed.key(account.primary.secret, { name: 'acme one', clientId: acme.id });
      const acmeKey2 = await t.seed.key(account.primary.secret, { name: 'acme two', clientId: acme.id });
      const globexKey = await t.seed.key(account.primary.secret, { name: 'globex one', clientId: globex.id });

      const clientKeys = await page(account.primary.secret, { filter: { kind: 'CLIENT' } });
      expect(clientKeys.edges.map((e) => e.node.id)).toEqual([globexKey.id, acmeKey2.id, acmeKey.id]);
      expect(clientKeys.totalCount).toBe(3);
      expect(clientKeys.edges.every((e) => e.node.kind === 'CLIENT' && e.node.client !== null)).toBe(true);

      const adminKeys = await page(account.primary.secret, { filter: { kind: 'ADMIN' }, first: 100 });
      expect(adminKeys.totalCount).toBe(9);
      expect(adminKeys.edges.every((e) => e.node.kind === 'ADMIN' && e.node.client === null)).toBe(true);

      const ofAcme = await page(account.primary.secret, { filter: { clientId: acme.id } });
      expect(ofAcme.edges.map((e) => e.node.id)).toEqual([acmeKey2.id, acmeKey.id]);
      expect(ofAcme.edges.map((e) => e.node.client?.id)).toEqual([acme.id, acme.id]);
      expect(ofAcme.totalCount).toBe(2);

      expect(await names(account.primary.secret, { clientId: acme.id, name: 'TWO' })).toEqual(['acme two']);
      expect(await names(account.primary.secret, { clientId: acme.id, kind: 'ADMIN' })).toEqual([]);

      // Paging inside a filter keeps to it.
      const firstOfClients = await page(account.primary.secret, { filter: { kind: 'CLIENT' }, first: 2 });
      const restOfClients = await page(account.primary.secret, {
        filter: { kind: 'CLIENT' },
        first: 2,
        after: firstOfClients.pageInfo.endCursor,
      });
      expect(restOfClients.edges.map((e) => e.node.id)).toEqual([acmeKey.id]);
      expect(restOfClients.pageInfo.hasNextPage).toBe(false);
    });

    it("finds nothing for another account's client or an id that cannot exist", async () => {
      const other = await t.seed.account();
      const theirs = await t.seed.client(other.primary.secret);
      await t.seed.key(other.primary.secret, { clientId: theirs.id });
      for (const clientId of [theirs.id, '999999', 'not-an-id']) {
        const connection = await page(account.primary.secret, { filter: { clientId } });
        expect(connection).toMatchObject({ totalCount: 0, edges: [] });
      }
    });
  });

  it('filters by status ACTIVE, INACTIVE and EXPIRED in SQL, EXPIRED winning over INACTIVE', async () => {
    const account = await t.seed.account();
    const as = account.primary.secret;
    const active = await t.seed.key(as, { name: 'active' });
    const inactive = await t.seed.key(as, { name: 'inactive' });
    await deactivate(as, inactive.id);
    // Expiry through the public API: keys created to expire 2 s from now, then we wait it out.
    const expiresAt = new Date(t.clock.now() + 2000);
    const expired = await t.seed.key(as, { name: 'expired', expiresAt: expiresAt.toISOString() });
    const expiredInactive = await t.seed.key(as, { name: 'expired and inactive', expiresAt: expiresAt.toISOString() });
    await deactivate(as, expiredInactive.id);

    // Before the expiry, both count as live.
    expect(await names(as, { status: 'EXPIRED' })).toEqual([]);
    expect(await names(as, { status: 'INACTIVE' })).toEqual(['expired and inactive', 'inactive']);

    t.clock.advance(expiresAt.getTime() - t.clock.now() + 300);
    const refused = await t.call(expired.secret, '{ viewer { principal } }');
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0].message).toContain(expired.prefix);

    const byStatus = async (status: string) => {
      const connection = await page(as, { filter: { status }, first: 100 });
      expect(connection.totalCount).toBe(connection.edges.length);
      expect(connection.edges.every((e) => e.node.status === status)).toBe(true);
      return connection.edges.map((e) => e.node.id);
    };
    expect(await byStatus('ACTIVE')).toEqual([active.id, account.primary.id]);
    expect(await byStatus('INACTIVE')).toEqual([inactive.id]);
    expect(await byStatus('EXPIRED')).toEqual([expiredInactive.id, expired.id]);

    // Counted in SQL, so a short page still knows the whole count.
    const short = await page(as, { filter: { status: 'EXPIRED' }, first: 1 });
    expect(short.edges.map((e) => e.node.id)).toEqual([expiredInactive.id]);
    expect(short).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const rest = await page(as, { filter: { status: 'EXPIRED' }, first: 1, after: short.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.id)).toEqual([expired.id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    expect(await names(as, { status: 'ACTIVE', name: 'act' })).toEqual(['active']);
  });

  describe('apiKey(id)', () => {
    const GET = 'query($id: ID!) { apiKey(id: $id) { id name prefix } }';

    it('returns a key of the account', async () => {
      const account = await t.seed.account();
      const key = await t.seed.key(account.primary.secret, { name: 'mine' });
      const res = await t.call(account.primary.secret, GET, { id: key.id });
      expect(dataOf(res).apiKey).toEqual({ id: key.id, name: 'mine', prefix: key.prefix });
    });

    it.each([
      ['an unknown id', async () => '999999'],
      ['an id that cannot exist', async () => 'abc'],
      [
        "another account's key",
        async () => {
          const other = await t.seed.account();
          return (await t.seed.key(other.primary.secret)).id;
        },
      ],
    ])('returns null, without an error, for %s', async (_case, makeId) => {
      const account = await t.seed.account();
      const id = await makeId();
      const res = await t.call(account.primary.secret, GET, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data.apiKey).toBeNull();
    });
  });

  it("shows a client key only its own client's keys, live and revoked", async () => {
    const account = await t.seed.account();
    const acme = await t.seed.client(account.primary.secret);
    const globex = await t.seed.client(account.primary.secret);
    const acmeReader = await t.seed.key(account.primary.secret, { clientId: acme.id, permissions: ['KEYS_READ'] });
    const acmeOther = await t.seed.key(account.primary.secret, { clientId: acme.id });
    const globexKey = await t.seed.key(account.primary.secret, { clientId: globex.id });

    const own = await page(acmeReader.secret);
    expect(own.edges.map((e) => e.node.id)).toEqual([acmeOther.id, acmeReader.id]);
    expect(own.totalCount).toBe(2);
    expect((await page(acmeReader.secret, { filter: { clientId: globex.id } })).totalCount).toBe(0);
    const res = await t.call(acmeReader.secret, 'query($id: ID!) { apiKey(id: $id) { id } }', { id: globexKey.id });
    expect(dataOf(res).apiKey).toBeNull();

    const acmeGone = await t.seed.key(account.primary.secret, { clientId: acme.id });
    await revoke(account.primary.secret, acmeGone.id);
    await revoke(account.primary.secret, globexKey.id);
    const revoked = await revokedPage(acmeReader.secret);
    expect(revoked.edges.map((e) => e.node.id)).toEqual([acmeGone.id]);
    expect(revoked.totalCount).toBe(1);
  });

  describe('revokedKeys', () => {
    it('lists revoked keys newest first, filtered by name (literally) and by client', async () => {
      const account = await t.seed.account();
      const as = account.primary.secret;
      const acme = await t.seed.client(as);
      const globex = await t.seed.client(as);
      const zapier = await t.seed.key(as, { name: 'Zapier old' });
      const underscore = await t.seed.key(as, { name: 'clay_1', clientId: acme.id });
      const lookalike = await t.seed.key(as, { name: 'clayx1', clientId: acme.id });
      const globexKey = await t.seed.key(as, { name: 'globex', clientId: globex.id });
      const stillLive = await t.seed.key(as, { name: 'Zapier new' });
      for (const key of [zapier, underscore, lookalike, globexKey]) await revoke(as, key.id);

      const all = await revokedPage(as);
      expect(all.edges.map((e) => e.node.id)).toEqual([globexKey.id, lookalike.id, underscore.id, zapier.id]);
      expect(all.totalCount).toBe(4);
      expect(all.edges.map((e) => e.node.id)).not.toContain(stillLive.id);

      const zapierOnly = await revokedPage(as, { filter: { name: 'zapier' } });
      expect(zapierOnly.edges.map((e) => e.node)).toEqual([
        { id: zapier.id, name: 'Zapier old', prefix: zapier.prefix, kind: 'ADMIN', client: null },
      ]);
      expect(zapierOnly.totalCount).toBe(1);

      const literal = await revokedPage(as, { filter: { name: '_' } });
      expect(literal.edges.map((e) => e.node.name)).toEqual(['clay_1']);
      expect(literal.totalCount).toBe(1);

      const ofAcme = await revokedPage(as, { filter: { clientId: acme.id } });
      expect(ofAcme.edges.map((e) => e.node.id)).toEqual([lookalike.id, underscore.id]);
      expect(ofAcme.edges.map((e) => e.node.client?.id)).toEqual([acme.id, acme.id]);
      expect(ofAcme.totalCount).toBe(2);

      const both = await revokedPage(as, { filter: { clientId: acme.id, name: 'X1' } });
      expect(both.edges.map((e) => e.node.id)).toEqual([lookalike.id]);

      const paged = await revokedPage(as, { first: 3 });
      expect(paged.pageInfo.hasNextPage).toBe(true);
      const next = await revokedPage(as, { first: 3, after: paged.pageInfo.endCursor });
      expect(next.edges.map((e) => e.node.id)).toEqual([zapier.id]);
      expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it("never shows another account's revoked keys", async () => {
      const account = await t.seed.account();
      const other = await t.seed.account();
      const theirs = await t.seed.key(other.primary.secret);
      await revoke(other.primary.secret, theirs.id);
      expect(await revokedPage(account.primary.secret)).toMatchObject({ totalCount: 0, edges: [] });
      expect((await revokedPage(other.primary.secret)).totalCount).toBe(1);
    });

    it('refuses a page size over 100 with BAD_USER_INPUT naming first', async () => {
      const account = await t.seed.account();
      const res = await t.call(account.primary.secret, REVOKED, { first: 101 });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });
});
