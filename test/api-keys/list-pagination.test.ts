import { codeOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { cursorOf, keyLists } from './list.fixtures';

/** Pages of apiKeys: newest first, keyset cursors that neither skip nor repeat, and page sizes and cursors refused by name. */
describe('listing API keys', () => {
  const t = useTestServer({}, { account: false });
  const { list, page } = keyLists(t);

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
});
