import { codeOf, dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { Seed, SeededAccount, SeededKey } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';

const UPDATE = 'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { developerApiEnabled } }';
const RENAME = 'mutation($id: ID!, $name: String!) { renameApiKey(id: $id, name: $name) { name } }';
const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }';
const VIEWER = '{ viewer { principal prefix } }';

/** The middleware's refusal: HTTP 403, DEVELOPER_API_DISABLED, and no data (nothing ran). */
function expectDisabled(res: GraphQLResponse): void {
  expect(res.status).toBe(403);
  expect(res.data).toBeUndefined();
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['DEVELOPER_API_DISABLED']);
}

describe('the Developer API flag', () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;
  let key: SeededKey;
  let clientKey: SeededKey;
  let developer: string;

  beforeAll(async () => {
    server = await startTestServer({ authJwtSecret: TEST_JWT_SECRET });
    seed = new Seed(server);
    account = await seed.account();
    key = await seed.key(account.primary.secret, { name: 'Zapier', permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    const client = await seed.client(account.primary.secret);
    clientKey = await seed.key(account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ'] });
    developer = await userToken({ sub: 'dev-1', account_id: account.id, roles: ['developer'] });
  });
  afterAll(() => server.stop());

  const setFlag = async (id: string, on: boolean) =>
    expect(
      dataOf(await graphql(server.url, { as: server.operatorToken, query: UPDATE, variables: { id, input: { developerApiEnabled: on } } }))
        .updateAccount.developerApiEnabled,
    ).toBe(on);

  it('is on for a new account: its keys work', async () => {
    for (const as of [account.primary.secret, key.secret, clientKey.secret]) {
      expect(dataOf(await graphql(server.url, { as, query: VIEWER })).viewer.prefix).toMatch(/^(sk|cl)_/);
    }
  });

  describe('while off', () => {
    beforeAll(() => setFlag(account.id, false));
    afterAll(() => setFlag(account.id, true));

    it('refuses every key of the account with HTTP 403 DEVELOPER_API_DISABLED, naming the prefix', async () => {
      for (const { secret, prefix } of [account.primary, key, clientKey]) {
        const res = await graphql(server.url, { as: secret, query: VIEWER });
        expectDisabled(res);
        expect(res.errors?.[0].message).toContain(prefix);
      }
    });

    it('refuses before any resolver runs: a mutation sent with the key changes nothing', async () => {
      expectDisabled(await graphql(server.url, { as: key.secret, query: RENAME, variables: { id: key.id, name: 'renamed while off' } }));
      const read = await graphql(server.url, { as: developer, query: 'query($id: ID!) { apiKey(id: $id) { name } }', variables: { id: key.id } });
      expect(dataOf(read).apiKey.name).toBe('Zapier');
    });

    it('refuses the keys on the REST routes too', async () => {
      const res = await fetch(new URL('/api/v1/client/api-key', server.url), { headers: { 'x-api-key': clientKey.secret } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DEVELOPER_API_DISABLED');
    });

    it('still refuses an inactive key of the account with 401: the key itself is checked first', async () => {
      const toggle = (action: string) =>
        graphql(server.url, { as: developer, query: `mutation($id: ID!) { ${action}(id: $id) { status } }`, variables: { id: clientKey.id } });
      expect(dataOf(await toggle('deactivateApiKey')).deactivateApiKey.status).toBe('INACTIVE');
      const res = await graphql(server.url, { as: clientKey.secret, query: VIEWER });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toMatch(/inactive/);
      expect(dataOf(await toggle('activateApiKey')).activateApiKey.status).toBe('ACTIVE');
    });

    it('lets users read keys but not create any, ordinary or playground', async () => {
      expect(dataOf(await graphql(server.url, { as: developer, query: '{ apiKeys { totalCount } }' })).apiKeys.totalCount).toBe(3);
      const create = await graphql(server.url, { as: developer, query: CREATE, variables: { input: { name: 'new', permissions: [] } } });
      expect(codeOf(create)).toBe('DEVELOPER_API_DISABLED');
      expect(create.errors?.[0].path).toEqual(['createApiKey']);
      const playground = await graphql(server.url, { as: developer, query: 'mutation { createPlaygroundKey { secret } }' });
      expect(codeOf(playground)).toBe('DEVELOPER_API_DISABLED');
      expect(playground.errors?.[0].path).toEqual(['createPlaygroundKey']);
      expect(dataOf(await graphql(server.url, { as: developer, query: '{ apiKeys { totalCount } }' })).apiKeys.totalCount).toBe(3);
    });

    it('leaves other accounts alone', async () => {
      const other = await seed.account();
      expect(dataOf(await graphql(server.url, { as: other.primary.secret, query: VIEWER })).viewer.prefix).toBe(other.primary.prefix);
    });
  });

  it('restores the same keys, unchanged, when turned on again', async () => {
    for (const { secret, prefix } of [account.primary, key, clientKey]) {
      expect(dataOf(await graphql(server.url, { as: secret, query: VIEWER })).viewer.prefix).toBe(prefix);
    }
    const renamed = await graphql(server.url, { as: key.secret, query: RENAME, variables: { id: key.id, name: 'Zapier 2' } });
    expect(dataOf(renamed).renameApiKey.name).toBe('Zapier 2');
    const create = await graphql(server.url, { as: developer, query: CREATE, variables: { input: { name: 'after', permissions: [] } } });
    expect(dataOf(create).createApiKey.apiKey.id).toBeDefined();
  });

  it('refuses the primary key of an account created with the flag off from the start', async () => {
    const res = await graphql(server.url, {
      as: server.operatorToken,
      query: `mutation { createAccount(input: { name: "Dormant", developerApiEnabled: false }) { account { id } primaryKey { secret } } }`,
    });
    const { account: dormant, primaryKey } = dataOf(res).createAccount;
    expectDisabled(await graphql(server.url, { as: primaryKey.secret, query: VIEWER }));
    await setFlag(dormant.id, true);
    expect(dataOf(await graphql(server.url, { as: primaryKey.secret, query: VIEWER })).viewer.principal).toBe('ADMIN_KEY');
  });

  it('is on for the Default account of the first start (embedded database)', async () => {
    const bootstrap = server.server.bootstrap;
    // The Default account is made only on an empty embedded database: on MySQL there is none to check.
    if (bootstrap === null) return expect(server.database.url).toMatch(/^mysql/);
    expect(bootstrap.account.developerApiEnabled).toBe(true);
    expect(dataOf(await graphql(server.url, { as: bootstrap.primaryKey.secret, query: VIEWER })).viewer.principal).toBe('ADMIN_KEY');
  });
});
