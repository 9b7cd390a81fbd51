import { useTestServer } from '../support/harness';

/**
 * Root query fields are nullable, so one refused field answers null with its
 * error and every sibling keeps its data: a page that shows who is signed in
 * beside a key list still shows who is signed in to someone without keys:read.
 */
describe('a refused root field leaves its siblings', () => {
  const t = useTestServer();

  it('{ viewer { principal } apiKeys { totalCount } } without keys:read: viewer answers, apiKeys is null with FORBIDDEN', async () => {
    const narrow = await t.seed.key(t.account.primary.secret, { permissions: ['LEADS_READ'] });
    const res = await t.call(narrow.secret, '{ viewer { principal } apiKeys { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { principal: 'ADMIN_KEY' }, apiKeys: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({ path: ['apiKeys'], extensions: { code: 'FORBIDDEN' } });
  });

  it('an anonymous caller gets the public fields and UNAUTHENTICATED for each of the others', async () => {
    const res = await t.call(undefined, '{ permissions { name } account { name } viewer { principal } clients { totalCount } }');
    expect(res.data.viewer).toEqual({ principal: 'ANONYMOUS' });
    expect(res.data.permissions.length).toBeGreaterThan(0);
    expect(res.data.account).toBeNull();
    expect(res.data.clients).toBeNull();
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['account'], 'UNAUTHENTICATED'],
      [['clients'], 'UNAUTHENTICATED'],
    ]);
  });

  it('a bad argument to one root field leaves the others too', async () => {
    const res = await t.call(t.account.primary.secret, '{ viewer { prefix } apiKeys(first: 101) { totalCount } }');
    expect(res.data).toEqual({ viewer: { prefix: t.account.primary.prefix }, apiKeys: null });
    expect(res.errors?.[0]).toMatchObject({ path: ['apiKeys'], extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  });
});
