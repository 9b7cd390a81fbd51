import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import { keyAllowing, overIPv4, restWith } from '../ip-allowlists/ip-allowlists.fixtures';
import { neverIssuedKey } from '../verify/verify.fixtures';
import {
  accountUsage,
  byOutcome,
  developerOf,
  flushUsage,
  keyUsage,
  operatorData,
  requestWith,
  thisHour,
  USAGE_TEST_CONFIG,
  verifyCode,
} from './usage.fixtures';

/*
 * Every verification of an existing key, and every request made with one,
 * counts once under its outcome, against that key. Counts are read by a
 * developer's user token, which is no key and counts nothing itself.
 */
describe('usage counts by outcome', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET });

  async function freshAccount() {
    const account = await t.seed.account();
    return { account, developer: await developerOf(account.id) };
  }

  it('counts verifications under their answer: VALID, INACTIVE, then REVOKED (and a request) once the key is revoked', async () => {
    const { account, developer } = await freshAccount();
    const key = await t.seed.key(account.primary.secret);
    for (let i = 0; i < 3; i++) expect(await verifyCode(t, developer, key.secret)).toBe('VALID');
    await graphql(t.url, { as: developer, query: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', variables: { id: key.id } });
    for (let i = 0; i < 2; i++) expect(await verifyCode(t, developer, key.secret)).toBe('INACTIVE');
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 3, INACTIVE: 2 });

    await graphql(t.url, { as: developer, query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', variables: { id: key.id } });
    expect(await verifyCode(t, developer, key.secret)).toBe('REVOKED');
    expect(await requestWith(t, key.secret)).toBe(401);
    await flushUsage(t);
    // The revoked key is gone from ApiKey, not from its account's sums (which hold the primary key's seeding request too).
    expect(byOutcome(await accountUsage(t, developer, thisHour(t)))).toEqual({ VALID: 3 + 1, INACTIVE: 2, REVOKED: 2 });
  });

  it("counts nothing for keys that do not exist, nor for another account's key verified from here (NOT_FOUND)", async () => {
    const { developer } = await freshAccount();
    const other = await t.seed.account();
    expect(await verifyCode(t, developer, neverIssuedKey())).toBe('NOT_FOUND');
    expect(await verifyCode(t, developer, other.primary.secret)).toBe('NOT_FOUND');
    expect(await requestWith(t, neverIssuedKey())).toBe(401);
    await flushUsage(t);
    expect(await accountUsage(t, developer, thisHour(t))).toEqual([]);
    expect(await accountUsage(t, await developerOf(other.id), thisHour(t))).toEqual([]);
  });

  it('counts each request made with a key once: GraphQL and REST alike, VALID when admitted', async () => {
    const { account, developer } = await freshAccount();
    const client = await t.seed.client(account.primary.secret);
    const key = await t.seed.key(account.primary.secret, { clientId: client.id, permissions: ['KEYS_READ'] });
    for (let i = 0; i < 2; i++) expect(await requestWith(t, key.secret)).toBe(200);
    expect((await restWith(t.url, key.secret)).status).toBe(200);
    await flushUsage(t);
    const buckets = await keyUsage(t, developer, key.id, thisHour(t));
    expect(byOutcome(buckets)).toEqual({ VALID: 3 });
    expect(buckets.every((bucket) => new Date(bucket.start).getTime() % 3_600_000 === 0)).toBe(true);
  });

  it("counts a request refused for the key's state or address under that refusal", async () => {
    const { account, developer } = await freshAccount();
    const url = overIPv4(t.url);
    const elsewhere = await keyAllowing(url, account.primary.secret, ['10.0.0.0/8']);
    const inactive = await t.seed.key(account.primary.secret);
    await graphql(t.url, {
      as: developer,
      query: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }',
      variables: { id: inactive.id },
    });
    expect((await graphql(url, { as: elsewhere.secret, query: '{ viewer { prefix } }' })).status).toBe(403);
    expect(await requestWith(t, inactive.secret)).toBe(401);
    expect(await requestWith(t, inactive.secret)).toBe(401);
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, elsewhere.id, thisHour(t)))).toEqual({ IP_NOT_ALLOWED: 1 });
    expect(byOutcome(await keyUsage(t, developer, inactive.id, thisHour(t)))).toEqual({ INACTIVE: 2 });
  });

  it('counts RATE_LIMITED for requests and verifications refused by an empty pool, VALID for the rest', async () => {
    const { account, developer } = await freshAccount();
    await operatorData(t, 'mutation($id: ID!) { updateAccount(id: $id, input: { rateLimitPerMinute: 3 }) { id } }', { id: account.id });
    const key = await t.seed.key(account.primary.secret);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await requestWith(t, key.secret));
    expect(statuses).toEqual([200, 200, 429, 429]);
    // The primary key made the seeding request: the admin pool has none left for a verification of the key.
    expect(await verifyCode(t, developer, key.secret)).toBe('RATE_LIMITED');
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 2, RATE_LIMITED: 3 });
  });

  it("counts DEVELOPER_API_DISABLED while the account's Developer API is off", async () => {
    const { account, developer } = await freshAccount();
    const key = await t.seed.key(account.primary.secret);
    await operatorData(t, 'mutation($id: ID!) { updateAccount(id: $id, input: { developerApiEnabled: false }) { id } }', {
      id: account.id,
    });
    expect(await requestWith(t, key.secret)).toBe(403);
    expect(await verifyCode(t, developer, key.secret)).toBe('DEVELOPER_API_DISABLED');
    await flushUsage(t);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ DEVELOPER_API_DISABLED: 2 });
  });

  it('counts EXPIRED once the key has passed its expiry by the server clock', async () => {
    const { account, developer } = await freshAccount();
    const key = await t.seed.key(account.primary.secret, { expiresAt: new Date(t.clock.now() + 60_000).toISOString() });
    expect(await requestWith(t, key.secret)).toBe(200);
    t.clock.advance(61_000);
    expect(await requestWith(t, key.secret)).toBe(401);
    expect(await verifyCode(t, developer, key.secret)).toBe('EXPIRED');
    await flushUsage(t);
    const range = { from: t.clock.now() - 2 * 3_600_000, to: t.clock.now() + 1 };
    expect(byOutcome(await keyUsage(t, developer, key.id, range))).toEqual({ VALID: 1, EXPIRED: 2 });
  });
});
