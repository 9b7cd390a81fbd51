import { graphql } from '../support/graphql';
import { okData, rest } from '../rest/rest-client';
import { useTestServer } from '../support/harness';
import { createKey } from './ip-allowlists.fixtures';

/*
 * allowedIps on a key: IPv4 and IPv6 addresses and CIDR ranges, stored in
 * one spelling each, at most 100, every bad entry refused by name.
 */
describe('allowedIps at createApiKey and on the REST key routes', () => {
  const t = useTestServer();

  it('stores IPv4, IPv6 and CIDR entries normalised, in order, without repeats', async () => {
    const { key } = await createKey(t.url, t.account.primary.secret, [
      '203.0.113.7',
      '10.1.2.3/8',
      ' 192.168.0.0/16 ',
      '2001:DB8:0:0::/32',
      '2001:db8:0:0:1:0:0:1',
      '127.0.0.1/32',
      '::ffff:198.51.100.0/120',
      '10.0.0.0/8',
    ]);
    const stored = ['203.0.113.7', '10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32', '2001:db8::1:0:0:1', '127.0.0.1', '198.51.100.0/24'];
    expect(key?.allowedIps).toEqual(stored);
    const read = await t.data(t.account.primary.secret, 'query($id: ID!) { apiKey(id: $id) { allowedIps } }', { id: key?.id });
    expect(read.apiKey.allowedIps).toEqual(stored);
  });

  it('leaves a key without a list open to any address: allowedIps is empty', async () => {
    expect((await createKey(t.url, t.account.primary.secret, undefined)).key?.allowedIps).toEqual([]);
    expect((await createKey(t.url, t.account.primary.secret, [])).key?.allowedIps).toEqual([]);
    expect((await createKey(t.url, t.account.primary.secret, null)).key?.allowedIps).toEqual([]);
  });

  it.each([
    ['an address out of range', '10.0.0.300'],
    ['a prefix too long for IPv4', '10.0.0.0/33'],
    ['a prefix too long for IPv6', '2001:db8::/129'],
    ['a host name', 'example.com'],
    ['an IPv6 zone', 'fe80::1%eth0'],
    ['two "::"', '2001::db8::1'],
    ['an empty entry', ''],
    ['a netmask instead of a length', '10.0.0.0/255.0.0.0'],
  ])('refuses %s as BAD_USER_INPUT naming the entry', async (_case, entry) => {
    const { res } = await createKey(t.url, t.account.primary.secret, ['203.0.113.7', entry]);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedIps' });
    expect(res.errors?.[0]?.message).toContain(`"${entry}"`);
  });

  it('refuses more than 100 entries, and takes exactly 100', async () => {
    const addresses = Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`);
    const tooMany = await createKey(t.url, t.account.primary.secret, addresses);
    expect(tooMany.res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedIps' });
    expect(tooMany.res.errors?.[0]?.message).toMatch(/at most 100/);
    expect((await createKey(t.url, t.account.primary.secret, addresses.slice(0, 100))).key?.allowedIps).toHaveLength(100);
  });

  it('is audited with the creation', async () => {
    const { key } = await createKey(t.url, t.account.primary.secret, ['10.0.0.0/8']);
    const res = await graphql(t.url, {
      as: t.account.primary.secret,
      query: '{ auditEvents(first: 5) { edges { node { action targetId details } } } }',
    });
    const created = res.data?.auditEvents.edges.map((edge: any) => edge.node).find((node: any) => node.targetId === key?.id);
    expect(created).toMatchObject({ action: 'API_KEY_CREATED', details: expect.objectContaining({ allowedIps: ['10.0.0.0/8'] }) });
  });

  describe('REST: allowed_ips', () => {
    let clientId: string;
    beforeAll(async () => {
      clientId = (await t.seed.client(t.account.primary.secret, 'Acme')).id;
    });
    const create = (body: Record<string, unknown>) =>
      rest(t.url, { method: 'POST', path: '/api/v1/client/api-key', as: t.account.primary.secret, body });

    it('sets them at creation and shows them in every key answer, normalised', async () => {
      const made = okData(await create({ clientId, keyName: 'office', allowed_ips: ['198.51.100.7/32', '2001:DB8::/48'] }));
      expect(made.allowed_ips).toEqual(['198.51.100.7', '2001:db8::/48']);
      const listed = okData(
        await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', query: { clientId }, as: t.account.primary.secret }),
      );
      expect(listed.find((key: any) => key.id === made.id).allowed_ips).toEqual(['198.51.100.7', '2001:db8::/48']);
      expect(okData(await create({ clientId, keyName: 'anywhere' })).allowed_ips).toEqual([]);
    });

    it('refuses a bad entry with 422 naming allowed_ips', async () => {
      const res = await create({ clientId, keyName: 'typo', allowed_ips: ['198.51.100.0/24', '198.51.100.256'] });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowed_ips' });
      expect(res.body.error.message).toMatch(/^allowed_ips entry "198\.51\.100\.256"/);
      const notAList = await create({ clientId, keyName: 'typo', allowed_ips: '198.51.100.0/24' });
      expect([notAList.status, notAList.body.error.field]).toEqual([422, 'allowed_ips']);
    });
  });
});
