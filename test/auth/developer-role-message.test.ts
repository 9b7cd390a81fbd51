import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';

describe('a refusal for lack of a permission', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });

  const asUser = (roles: unknown) => userToken({ sub: 'alice@example.com', account_id: t.account.id, roles });

  it('tells a dashboard user without the developer role that the role is what is missing', async () => {
    for (const roles of [[], ['viewer', 'billing'], undefined]) {
      const res = await t.call(await asUser(roles), '{ apiKeys { totalCount } }');
      expect(res.errors?.[0]).toMatchObject({
        path: ['apiKeys'],
        extensions: { code: 'FORBIDDEN' },
        message:
          "This needs the keys:read permission, which a dashboard user holds only with the developer role (or admin or owner): this token's roles claim has none of them",
      });
    }
  });

  it('names the permission alone to a key, whose permissions are its own', async () => {
    const res = await t.call(
      (await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] })).secret,
      '{ auditEvents { totalCount } }',
    );
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: 'This needs the audit:read permission' });
  });

  it('lets a user with the role through, whatever its case', async () => {
    const res = await t.call(await asUser(['Developer']), '{ apiKeys { totalCount } }');
    expect(res.errors).toBeUndefined();
  });
});
