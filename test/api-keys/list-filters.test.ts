import { useTestServer } from '../support/harness';
import { SeededAccount } from '../support/seed';
import { keyLists } from './list.fixtures';

/** Filters of apiKeys: name (literally), kind, client and status, each honoured by the page and by totalCount. */
describe('listing API keys', () => {
  const t = useTestServer({}, { account: false });
  const { page, names, deactivate } = keyLists(t);

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
});
