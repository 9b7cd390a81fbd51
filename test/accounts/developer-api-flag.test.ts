import { dataOf, GraphQLResponse, expectDenied } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
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
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  let key: SeededKey;
  let clientKey: SeededKey;
  let developer: string;

  beforeAll(async () => {
    key = await t.seed.key(t.account.primary.secret, { name: 'Zapier', permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    const client = await t.seed.client(t.account.primary.secret);
    clientKey = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ'] });
    developer = await userToken({ sub: 'dev-1', account_id: t.account.id, roles: ['developer'] });
  });

  const setFlag = async (id: string, on: boolean) =>
    expect((await t.data(t.operatorToken, UPDATE, { id, input: { developerApiEnabled: on } })).updateAccount.developerApiEnabled).toBe(on);

  it('is on for a new account: its keys work', async () => {
    for (const as of [t.account.primary.secret, key.secret, clientKey.secret]) {
      expect((await t.data(as, VIEWER)).viewer.prefix).toMatch(/^(sk|cl)_/);
    }
  });

  describe('while off', () => {
    beforeAll(() => setFlag(t.account.id, false));
    afterAll(() => setFlag(t.account.id, true));

    it('refuses every key of the account with HTTP 403 DEVELOPER_API_DISABLED, naming the prefix', async () => {
      for (const { secret, prefix } of [t.account.primary, key, clientKey]) {
        const res = await t.call(secret, VIEWER);
        expectDisabled(res);
        expect(res.errors?.[0].message).toContain(prefix);
      }
    });

    it('refuses before any resolver runs: a mutation sent with the key changes nothing', async () => {
      expectDisabled(await t.call(key.secret, RENAME, { id: key.id, name: 'renamed while off' }));
      const read = await t.call(developer, 'query($id: ID!) { apiKey(id: $id) { name } }', { id: key.id });
      expect(dataOf(read).apiKey.name).toBe('Zapier');
    });

    it('refuses the keys on the REST routes too', async () => {
      const res = await fetch(new URL('/api/v1/client/api-key', t.url), { headers: { 'x-api-key': clientKey.secret } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DEVELOPER_API_DISABLED');
    });

    it('still refuses an inactive key of the account with 401: the key itself is checked first', async () => {
      const toggle = (action: string) => t.call(developer, `mutation($id: ID!) { ${action}(id: $id) { status } }`, { id: clientKey.id });
      expect(dataOf(await toggle('deactivateApiKey')).deactivateApiKey.status).toBe('INACTIVE');
      const res = await t.call(clientKey.secret, VIEWER);
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toMatch(/inactive/);
      expect(dataOf(await toggle('activateApiKey')).activateApiKey.status).toBe('ACTIVE');
    });

    it('lets users read keys but not create any, ordinary or playground', async () => {
      expect((await t.data(developer, '{ apiKeys { totalCount } }')).apiKeys.totalCount).toBe(3);
      const create = await t.call(developer, CREATE, { input: { name: 'new', permissions: [] } });
      expectDenied(create, 'DEVELOPER_API_DISABLED', 'createApiKey');
      const playground = await t.call(developer, 'mutation { createPlaygroundKey { secret } }');
      expectDenied(playground, 'DEVELOPER_API_DISABLED', 'createPlaygroundKey');
      expect((await t.data(developer, '{ apiKeys { totalCount } }')).apiKeys.totalCount).toBe(3);
    });

    it('leaves other accounts alone', async () => {
      const other = await t.seed.account();
      expect((await t.data(other.primary.secret, VIEWER)).viewer.prefix).toBe(other.primary.prefix);
    });
  });

  it('restores the same keys, unchanged, when turned on again', async () => {
    for (const { secret, prefix } of [t.account.primary, key, clientKey]) {
      expect((await t.data(secret, VIEWER)).viewer.prefix).toBe(prefix);
    }
    const renamed = await t.call(key.secret, RENAME, { id: key.id, name: 'Zapier 2' });
    expect(dataOf(renamed).renameApiKey.name).toBe('Zapier 2');
    const create = await t.call(developer, CREATE, { input: { name: 'after', permissions: [] } });
    expect(dataOf(create).createApiKey.apiKey.id).toBeDefined();
  });

  it('refuses the primary key of an account created with the flag off from the start', async () => {
    const res = await t.call(
      t.operatorToken,
      `mutation { createAccount(input: { name: "Dormant", developerApiEnabled: false }) { account { id } primaryKey { secret } } }`,
    );
    const { account: dormant, primaryKey } = dataOf(res).createAccount;
    expectDisabled(await t.call(primaryKey.secret, VIEWER));
    await setFlag(dormant.id, true);
    expect((await t.data(primaryKey.secret, VIEWER)).viewer.principal).toBe('ADMIN_KEY');
  });

  it('is on for the Default account of the first start (embedded database)', async () => {
    const bootstrap = t.server.bootstrap;
    // The Default account is made only on an empty embedded database: on MySQL there is none to check.
    if (bootstrap === null) return expect(t.database.url).toMatch(/^mysql/);
    expect(bootstrap.account.developerApiEnabled).toBe(true);
    expect((await t.data(bootstrap.primaryKey.secret, VIEWER)).viewer.principal).toBe('ADMIN_KEY');
  });
});
