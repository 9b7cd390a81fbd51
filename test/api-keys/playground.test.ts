import { codeOf, dataOf, graphql } from '../support/graphql';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const CREATE_PLAYGROUND = 'mutation { createPlaygroundKey { secret apiKey { id name kind status permissions expiresAt } } }';

describe('playground keys', () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;

  beforeAll(async () => {
    server = await startTestServer();
    seed = new Seed(server);
    account = await seed.account();
  });
  afterAll(() => server.stop());

  it('are 1-hour admin keys with the four leads permissions that list like any key', async () => {
    const before = Date.now();
    const { secret, apiKey } = dataOf(await graphql(server.url, { as: account.primary.secret, query: CREATE_PLAYGROUND }))
      .createPlaygroundKey;
    expect(apiKey).toMatchObject({
      name: 'Docs playground (temp)',
      kind: 'ADMIN',
      status: 'ACTIVE',
      permissions: ['LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'],
    });
    const expiresIn = Date.parse(apiKey.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(59 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(61 * 60 * 1000);

    const me = await graphql(server.url, { as: secret, query: '{ viewer { principal permissions } }' });
    expect(dataOf(me).viewer.principal).toBe('ADMIN_KEY');

    const listed = await graphql(server.url, {
      as: account.primary.secret,
      query: '{ apiKeys(filter: { name: "playground" }) { edges { node { id } } } }',
    });
    expect(dataOf(listed).apiKeys.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(apiKey.id);
  });

  it('can be revoked early', async () => {
    const { secret, apiKey } = dataOf(await graphql(server.url, { as: account.primary.secret, query: CREATE_PLAYGROUND }))
      .createPlaygroundKey;
    dataOf(
      await graphql(server.url, {
        as: account.primary.secret,
        query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        variables: { id: apiKey.id },
      }),
    );
    expect((await graphql(server.url, { as: secret, query: '{ viewer { principal } }' })).status).toBe(401);
  });

  it('need keys:write, and the leads permissions they grant', async () => {
    const reader = await seed.key(account.primary.secret, { permissions: ['KEYS_READ'] });
    expect(codeOf(await graphql(server.url, { as: reader.secret, query: CREATE_PLAYGROUND }))).toBe('FORBIDDEN');
    const writerWithoutLeads = await seed.key(account.primary.secret, { permissions: ['KEYS_WRITE'] });
    expect(codeOf(await graphql(server.url, { as: writerWithoutLeads.secret, query: CREATE_PLAYGROUND }))).toBe('FORBIDDEN');
  });

  it('are refused to client keys', async () => {
    const client = await seed.client(account.primary.secret);
    const clientKey = await seed.key(account.primary.secret, {
      name: 'client writer',
      clientId: client.id,
      permissions: ['KEYS_WRITE', 'LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'],
    });
    expect(codeOf(await graphql(server.url, { as: clientKey.secret, query: CREATE_PLAYGROUND }))).toBe('FORBIDDEN');
  });
});
