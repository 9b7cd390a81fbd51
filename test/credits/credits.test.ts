import { codeOf, dataOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { verifyByRest } from '../verify/verify.fixtures';
import { keyLifecycle } from '../api-keys/lifecycle.fixtures';
import { createKey, creditedKey, KEY, requestWith, restWith, UPDATE_KEY, verifyCosting } from './credits.fixtures';

/*
 * Usage credits: a key's `remaining` pays for every request made with it
 * (1 each) and every verification of it (its cost); at zero the request is
 * a 429 USAGE_EXCEEDED and the verification answers USAGE_EXCEEDED, having
 * charged nothing. Counted as it is used and written behind to the row.
 */
describe('usage credits', () => {
  const t = useTestServer();
  const owner = () => t.account.primary.secret;

  it('are set at creation, shown on the key, and unlimited (null) by default', async () => {
    const res = await createKey(t.url, owner(), { remaining: 3 });
    expect(dataOf(res).createApiKey.apiKey).toMatchObject({ remaining: 3, refill: null, lastRefillAt: expect.any(String) });
    const plain = await createKey(t.url, owner(), {});
    expect(dataOf(plain).createApiKey.apiKey).toMatchObject({ remaining: null, refill: null, lastRefillAt: null });
    const refilled = await createKey(t.url, owner(), { refill: { amount: 7, interval: 'MONTHLY' } });
    expect(dataOf(refilled).createApiKey.apiKey).toMatchObject({ remaining: 7, refill: { amount: 7, interval: 'MONTHLY' } });
  });

  it.each([
    [{ remaining: -1 }, 'remaining'],
    [{ remaining: 1_000_000_001 }, 'remaining'],
    [{ refill: { amount: 0, interval: 'DAILY' } }, 'refill.amount'],
  ])('refuse %j, naming the field', async (input, field) => {
    const res = await createKey(t.url, owner(), input);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('pay for verifications at their cost; at too few the answer is USAGE_EXCEEDED with the details, and nothing is charged', async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 3 });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret, 2)).toMatchObject({ valid: true, code: 'VALID', remaining: 1 });
    const refused = await verifyCosting(t.url, t.operatorToken, key.secret, 2);
    expect(refused).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', prefix: key.prefix, remaining: 1 });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: 0 });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret, 0)).toMatchObject({ code: 'VALID', remaining: 0 });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'USAGE_EXCEEDED', remaining: 0 });
    const byRest = await verifyByRest(t, t.operatorToken, { key: key.secret, cost: 1 });
    expect(byRest.body.data).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', prefix: key.prefix, remaining: 0 });
  });

  it("a refused verification gives the key's pool back its point", async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 0 });
    const before = (await verifyCosting(t.url, t.operatorToken, key.secret, 0)).rateLimit.remaining;
    expect((await verifyCosting(t.url, t.operatorToken, key.secret)).rateLimit.remaining).toBe(before);
    expect((await verifyCosting(t.url, t.operatorToken, key.secret, 0)).rateLimit.remaining).toBe(before - 1);
  });

  it('a refused use gives a SLIDING pool its point back too', async () => {
    const tenant = await t.seed.account();
    await graphql(t.url, {
      as: t.operatorToken,
      query: 'mutation($id: ID!) { updateAccount(id: $id, input: { rateLimitWindow: SLIDING }) { id } }',
      variables: { id: tenant.id },
    }).then(dataOf);
    const key = await creditedKey(t.url, tenant.primary.secret, { remaining: 0 });
    const before = (await verifyCosting(t.url, t.operatorToken, key.secret, 0)).rateLimit.remaining;
    expect((await verifyCosting(t.url, t.operatorToken, key.secret)).code).toBe('USAGE_EXCEEDED');
    expect((await verifyCosting(t.url, t.operatorToken, key.secret, 0)).rateLimit.remaining).toBe(before - 1);
  });

  it('pay 1 for each GraphQL and REST request made with the key; at zero: 429 USAGE_EXCEEDED, no Retry-After without a refill', async () => {
    const client = dataOf(await graphql(t.url, { as: owner(), query: 'mutation { createClient(input: { name: "Metered" }) { id } }' }));
    const key = await creditedKey(t.url, owner(), { remaining: 2, clientId: client.createClient.id, permissions: ['KEYS_READ'] });
    expect((await requestWith(t.url, key.secret)).status).toBe(200);
    expect((await restWith(t.url, key.secret)).status).toBe(200);
    const refused = await requestWith(t.url, key.secret);
    expect([refused.status, codeOf(refused), refused.headers.get('retry-after')]).toEqual([429, 'USAGE_EXCEEDED', null]);
    const restRefused = await restWith(t.url, key.secret);
    expect([restRefused.status, restRefused.body.error.code]).toEqual([429, 'USAGE_EXCEEDED']);
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'USAGE_EXCEEDED', remaining: 0 });
  });

  it('are exact under concurrency: 100 verifications of a key with 50 credits give 50 VALID', async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 50 });
    const answers = await Promise.all(Array.from({ length: 100 }, () => verifyCosting(t.url, t.operatorToken, key.secret)));
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(50);
    expect(codes.filter((c) => c === 'USAGE_EXCEEDED')).toHaveLength(50);
  });

  it('are shown as counted, before the row is written behind; the row follows once the writer flushes', async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 10 });
    for (let i = 0; i < 3; i++) await verifyCosting(t.url, t.operatorToken, key.secret);
    const stored = async () => (await t.server.dataSource.query('SELECT remaining FROM api_keys WHERE id = ?', [Number(key.id)]))[0];
    expect(await stored()).toEqual({ remaining: 10 });
    expect(dataOf(await graphql(t.url, { as: owner(), query: KEY, variables: { id: key.id } })).apiKey.remaining).toBe(7);
    const listed = await graphql(t.url, { as: owner(), query: '{ apiKeys(first: 50) { edges { node { id remaining } } } }' });
    expect(dataOf(listed).apiKeys.edges.find((e: any) => e.node.id === key.id).node.remaining).toBe(7);
    await t.server.services.credits.flush();
    expect(await stored()).toEqual({ remaining: 7 });
    expect(dataOf(await graphql(t.url, { as: owner(), query: KEY, variables: { id: key.id } })).apiKey.remaining).toBe(7);
  });

  it('updateApiKey sets remaining anew (the count starts again), sets or clears the refill, and null makes the key unlimited', async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 1 });
    await verifyCosting(t.url, t.operatorToken, key.secret);
    expect((await verifyCosting(t.url, t.operatorToken, key.secret)).code).toBe('USAGE_EXCEEDED');
    const update = (input: Record<string, unknown>) =>
      graphql(t.url, { as: owner(), query: UPDATE_KEY, variables: { id: key.id, input } }).then(dataOf);
    expect((await update({ remaining: 10 })).updateApiKey.remaining).toBe(10);
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: 9 });
    // Set to what the row (written behind) still says: the count starts again all the same.
    await verifyCosting(t.url, t.operatorToken, key.secret);
    expect((await update({ remaining: 10 })).updateApiKey.remaining).toBe(10);
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: 9 });
    // A write of the count from before the update never lands over it.
    await t.server.services.credits.flush();
    expect(dataOf(await graphql(t.url, { as: owner(), query: KEY, variables: { id: key.id } })).apiKey.remaining).toBe(9);
    expect((await update({ refill: { amount: 20, interval: 'DAILY' } })).updateApiKey).toMatchObject({
      remaining: 9,
      refill: { amount: 20, interval: 'DAILY' },
    });
    const refused = await graphql(t.url, { as: owner(), query: UPDATE_KEY, variables: { id: key.id, input: { remaining: -3 } } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'remaining' });
    expect((await update({ remaining: null })).updateApiKey).toMatchObject({ remaining: null, refill: null, lastRefillAt: null });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: null });
  });

  it("survive a reset: the key's new value spends the same balance", async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 2 });
    await verifyCosting(t.url, t.operatorToken, key.secret);
    const reset = dataOf(
      await graphql(t.url, { as: owner(), query: 'mutation($id: ID!) { resetApiKey(id: $id) { secret } }', variables: { id: key.id } }),
    ).resetApiKey;
    expect(await verifyCosting(t.url, t.operatorToken, reset.secret)).toMatchObject({ code: 'VALID', remaining: 0 });
    expect((await verifyCosting(t.url, t.operatorToken, reset.secret)).code).toBe('USAGE_EXCEEDED');
  });

  it('updateApiKey is audited with what changed', async () => {
    const key = await creditedKey(t.url, owner(), { remaining: 5 });
    await graphql(t.url, { as: owner(), query: UPDATE_KEY, variables: { id: key.id, input: { remaining: 6 } } }).then(dataOf);
    const [event] = await keyLifecycle(t).trail(key.id);
    expect(event).toMatchObject({ action: 'API_KEY_UPDATED', details: { remaining: { from: 5, to: 6 } } });
  });
});

describe('usage credits with a refill', () => {
  const t = useTestServer();
  const DAY_MS = 86_400_000;

  it('DAILY: at zero the request waits for 00:00 UTC (Retry-After), and then remaining is the amount again', async () => {
    const key = await creditedKey(t.url, t.account.primary.secret, { remaining: 1, refill: { amount: 5, interval: 'DAILY' } });
    expect((await requestWith(t.url, key.secret)).status).toBe(200);
    const refused = await requestWith(t.url, key.secret);
    const untilMidnight = Math.ceil((DAY_MS - (t.clock.now() % DAY_MS)) / 1000);
    expect([refused.status, codeOf(refused)]).toEqual([429, 'USAGE_EXCEEDED']);
    expect(Math.abs(Number(refused.headers.get('retry-after')) - untilMidnight)).toBeLessThanOrEqual(2);
    expect((await verifyCosting(t.url, t.operatorToken, key.secret)).code).toBe('USAGE_EXCEEDED');
    t.clock.advance(untilMidnight * 1000 + 1000);
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: 4 });
    await t.server.services.credits.flush();
    const row = dataOf(await graphql(t.url, { as: t.account.primary.secret, query: KEY, variables: { id: key.id } })).apiKey;
    expect(row.remaining).toBe(4);
    expect(new Date(row.lastRefillAt).getTime() % DAY_MS).toBe(0);
  });

  it('a refill due since the last use shows on the key at once, with its time, before any use counts it', async () => {
    const key = await creditedKey(t.url, t.account.primary.secret, { remaining: 1, refill: { amount: 5, interval: 'DAILY' } });
    expect((await requestWith(t.url, key.secret)).status).toBe(200);
    const read = async () => dataOf(await graphql(t.url, { as: t.account.primary.secret, query: KEY, variables: { id: key.id } })).apiKey;
    expect(await read()).toMatchObject({ remaining: 0 });
    const midnight = t.clock.now() - (t.clock.now() % DAY_MS) + DAY_MS;
    t.clock.advance(midnight - t.clock.now() + 1000);
    expect(await read()).toMatchObject({ remaining: 5, lastRefillAt: new Date(midnight).toISOString() });
    expect(await verifyCosting(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', remaining: 4 });
    expect(await read()).toMatchObject({ remaining: 4, lastRefillAt: new Date(midnight).toISOString() });
  });
});
