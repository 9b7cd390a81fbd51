import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { keyLists, REVOKED } from './list.fixtures';

/** Reading keys one at a time and the revoked ones, and how little of them a client key sees. */
describe('listing API keys', () => {
  const t = useTestServer({}, { account: false });
  const { page, revokedPage, revoke } = keyLists(t);

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
