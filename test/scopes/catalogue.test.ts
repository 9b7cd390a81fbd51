import { dataOf, expectDenied, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { defineScope, defineScopes, keyHolding, refusalOf, SCOPES, UPDATE_KEY } from './scopes.fixtures';

/*
 * The catalogue is the operator's: one list for every account, public like
 * the permission catalogue. Redefining a name changes its description and
 * clientAssignable, never which keys hold it.
 */
describe('the platform scope catalogue: defineScope and scopes', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });

  const catalogue = async (as?: string) => dataOf(await graphql(t.url, { as, query: SCOPES })).scopes;

  it('lets the operator define scopes, listed by name to anyone, anonymous callers included', async () => {
    const defined = await defineScope(t, t.operatorToken, {
      name: 'invoices:read',
      description: '  Read invoices  ',
      clientAssignable: true,
    });
    expect(dataOf(defined).defineScope).toEqual({ name: 'invoices:read', description: 'Read invoices', clientAssignable: true });
    await defineScopes(t, 'billing.v2:*', 'invoices:write');
    const listed = await catalogue();
    expect(listed.map((s: { name: string }) => s.name)).toEqual(['billing.v2:*', 'invoices:read', 'invoices:write']);
    expect(listed.find((s: { name: string }) => s.name === 'invoices:write')).toEqual({
      name: 'invoices:write',
      description: 'Lets a key invoices:write',
      clientAssignable: false,
    });
    expect(await catalogue(t.account.primary.secret)).toEqual(listed);
  });

  it('redefines an existing name: new description and clientAssignable, one entry', async () => {
    await defineScopes(t, 'reports:read');
    const again = await defineScope(t, t.operatorToken, { name: 'reports:read', description: 'Read reports', clientAssignable: true });
    expect(dataOf(again).defineScope).toEqual({ name: 'reports:read', description: 'Read reports', clientAssignable: true });
    const entries = (await catalogue()).filter((s: { name: string }) => s.name === 'reports:read');
    expect(entries).toEqual([{ name: 'reports:read', description: 'Read reports', clientAssignable: true }]);
  });

  it('is the operator’s only: keys, developers and anonymous callers are refused', async () => {
    const developer = await userToken({ sub: 'dev-1', account_id: Number(t.account.id), roles: ['developer'] });
    for (const as of [t.account.primary.secret, developer]) {
      expectDenied(await defineScope(t, as, { name: 'tenant:made' }), 'FORBIDDEN', 'defineScope');
    }
    expectDenied(await defineScope(t, undefined, { name: 'tenant:made' }), 'UNAUTHENTICATED', 'defineScope');
    expect((await catalogue()).map((s: { name: string }) => s.name)).not.toContain('tenant:made');
  });

  it.each([
    ['a name that is not resource:action', { name: 'invoices' }, 'name'],
    ['a name in capitals', { name: 'Invoices:Read' }, 'name'],
    ['a wildcard resource', { name: '*:read' }, 'name'],
    ['a name too long', { name: `${'a'.repeat(65)}:read` }, 'name'],
    ['an empty description', { name: 'ok:read', description: '   ' }, 'description'],
    ['a description too long', { name: 'ok:read', description: 'x'.repeat(501) }, 'description'],
    ['a description with a control character', { name: 'ok:read', description: 'bell\u0007' }, 'description'],
  ])('refuses %s, naming the field', async (_case, input, field) => {
    expect(refusalOf(await defineScope(t, t.operatorToken, input))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses to make a scope admin-only while a client key holds it, and allows it once none does', async () => {
    await defineScopes(t, 'client:exports:run');
    const client = await t.seed.client(t.account.primary.secret);
    const key = await keyHolding(t, t.account.primary.secret, ['exports:run'], { clientId: client.id });
    const refused = refusalOf(await defineScope(t, t.operatorToken, { name: 'exports:run', clientAssignable: false }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientAssignable' });
    expect(refused.message).toContain(key.prefix);
    expect((await catalogue()).find((s: { name: string }) => s.name === 'exports:run').clientAssignable).toBe(true);

    await t.data(t.account.primary.secret, UPDATE_KEY, { id: key.id, input: { scopes: null } });
    const allowed = await defineScope(t, t.operatorToken, { name: 'exports:run', clientAssignable: false });
    expect(dataOf(allowed).defineScope.clientAssignable).toBe(false);
  });

  it('lets an admin key keep a scope that stops being clientAssignable', async () => {
    await defineScopes(t, 'client:audit.logs:read');
    await keyHolding(t, t.account.primary.secret, ['audit.logs:read']);
    const res = await defineScope(t, t.operatorToken, { name: 'audit.logs:read', clientAssignable: false });
    expect(dataOf(res).defineScope.clientAssignable).toBe(false);
  });
});
