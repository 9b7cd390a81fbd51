import { dataOf, expectDenied, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { keyLifecycle } from './lifecycle.fixtures';
import { verifyByRest } from '../verify/verify.fixtures';

const UPDATE = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id name prefix permissions metadata allowedIps }
}`;
const VERIFY = 'query($key: String!) { verifyApiKey(key: $key) { code metadata } }';

/**
 * updateApiKey: one mutation for a key's settings. A field left out stays as
 * it is, null clears it; every field is checked before any is applied; one
 * audit event says what changed; the value (and prefix) stays the same.
 */
describe('updateApiKey', () => {
  const t = useTestServer();
  const { admin, call, trail, expectWorks } = keyLifecycle(t);
  const update = (id: string, input: Record<string, unknown>, as = admin()) => call(as, UPDATE, { id, input });

  it('changes only the fields given, keeps the value, and audits each change as from → to in one event', async () => {
    const key = await t.seed.key(admin(), { name: 'Billing sync', permissions: ['LEADS_READ'] });
    const res = await update(key.id, { name: ' Billing sync (prod) ', metadata: { plan: 'pro', seats: 5 } });
    expect(dataOf(res).updateApiKey).toEqual({
      id: key.id,
      name: 'Billing sync (prod)',
      prefix: key.prefix,
      permissions: ['LEADS_READ'],
      metadata: { plan: 'pro', seats: 5 },
      allowedIps: [],
    });
    await expectWorks(key.secret, key.prefix);

    const [event] = await trail(key.id);
    expect(event).toMatchObject({
      action: 'API_KEY_UPDATED',
      actor: t.account.primary.prefix,
      targetId: key.id,
      details: { name: { from: 'Billing sync', to: 'Billing sync (prod)' }, metadata: { from: null, to: { plan: 'pro', seats: 5 } } },
    });
  });

  it('clears a field given null, and writes no event when nothing changes', async () => {
    const key = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
    await update(key.id, { metadata: { team: 'ops' } });
    expect(dataOf(await update(key.id, { metadata: null })).updateApiKey.metadata).toBeNull();
    expect(dataOf(await update(key.id, { permissions: null })).updateApiKey.permissions).toEqual([]);
    const before = (await trail(key.id)).length;
    expect(dataOf(await update(key.id, { metadata: null, permissions: [] })).updateApiKey.permissions).toEqual([]);
    expect(dataOf(await update(key.id, {})).updateApiKey.id).toBe(key.id);
    expect((await trail(key.id)).length).toBe(before);
  });

  it('is seen by the next verification: the key leaves the cache', async () => {
    const key = await t.seed.key(admin());
    const verify = async () =>
      dataOf(await graphql(t.url, { as: t.operatorToken, query: VERIFY, variables: { key: key.secret } })).verifyApiKey;
    expect(await verify()).toEqual({ code: 'VALID', metadata: null });
    const byRest = async () => (await verifyByRest(t, t.operatorToken, { key: key.secret })).body.data;
    expect((await byRest()).metadata).toBeNull();
    await update(key.id, { metadata: { customer: 'cus_42' } });
    expect(await verify()).toEqual({ code: 'VALID', metadata: { customer: 'cus_42' } });
    // REST keeps the JSON of a key's details between answers: a change must show at once there too.
    expect(await byRest()).toMatchObject({ code: 'VALID', metadata: { customer: 'cus_42' } });
  });

  it('refuses a bad field by name and applies none of the others', async () => {
    const key = await t.seed.key(admin(), { name: 'Keep me' });
    const cleared = await update(key.id, { name: null, metadata: { a: 1 } });
    expect(cleared.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const big = await update(key.id, { name: 'Other', metadata: { blob: 'x'.repeat(5000) } });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'metadata' });
    const read = await t.data(admin(), 'query($id: ID!) { apiKey(id: $id) { name metadata } }', { id: key.id });
    expect(read.apiKey).toEqual({ name: 'Keep me', metadata: null });
  });

  it('grants nothing the caller does not hold, and never re-permissions the primary key', async () => {
    const writer = await t.seed.key(admin(), { permissions: ['KEYS_WRITE', 'LEADS_READ'] });
    const target = await t.seed.key(admin(), { permissions: ['LEADS_READ'] });
    expectDenied(await update(target.id, { permissions: ['LEADS_READ', 'LEADS_DELETE'] }, writer.secret), 'FORBIDDEN', 'updateApiKey');
    expectDenied(await update(t.account.primary.id, { permissions: ['LEADS_READ'] }), 'FORBIDDEN', 'updateApiKey');
    const reader = await t.seed.key(admin(), { permissions: ['KEYS_READ'] });
    expectDenied(await update(target.id, { name: 'nope' }, reader.secret), 'FORBIDDEN', 'updateApiKey');
  });

  it("answers NOT_FOUND for another account's key", async () => {
    const other = await t.seed.account();
    const theirs = await t.seed.key(other.primary.secret);
    expectDenied(await update(theirs.id, { name: 'mine now' }), 'NOT_FOUND', 'updateApiKey');
  });
});
