import { graphql } from '../support/graphql';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';

describe('a refusal for lack of a permission', () => {
  let server: TestServer;
  let account: SeededAccount;

  beforeAll(async () => {
    server = await startTestServer({ authJwtSecret: TEST_JWT_SECRET });
    account = await new Seed(server).account();
  });
  afterAll(() => server.stop());

  const asUser = (roles: unknown) => userToken({ sub: 'alice@example.com', account_id: account.id, roles });

  it('tells a dashboard user without the developer role that the role is what is missing', async () => {
    for (const roles of [[], ['viewer', 'billing'], undefined]) {
      const res = await graphql(server.url, { as: await asUser(roles), query: '{ apiKeys { totalCount } }' });
      expect(res.errors?.[0]).toMatchObject({
        path: ['apiKeys'],
        extensions: { code: 'FORBIDDEN' },
        message:
          "This needs the keys:read permission, which a dashboard user holds only with the developer role (or admin or owner): this token's roles claim has none of them",
      });
    }
  });

  it('names the permission alone to a key, whose permissions are its own', async () => {
    const res = await graphql(server.url, {
      as: (await new Seed(server).key(account.primary.secret, { permissions: ['LEADS_READ'] })).secret,
      query: '{ auditEvents { totalCount } }',
    });
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: 'This needs the audit:read permission' });
  });

  it('lets a user with the role through, whatever its case', async () => {
    const res = await graphql(server.url, { as: await asUser(['Developer']), query: '{ apiKeys { totalCount } }' });
    expect(res.errors).toBeUndefined();
  });
});
