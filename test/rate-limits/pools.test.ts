import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { rest } from '../rest/rest-client';
import { codeOf, dataOf, graphql } from '../support/graphql';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

const VIEWER = '{ viewer { principal } }';

describe('rate-limit pools', () => {
  const redisKeyPrefix = `keyward-test-${randomBytes(6).toString('hex')}`;
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, redisKeyPrefix }, { account: false });

  /** A fresh account (so a fresh set of pools) with this plan limit. */
  async function account(limit: number): Promise<SeededAccount> {
    const created = await t.seed.account();
    await setRateLimit(t, created.id, limit);
    return created;
  }

  const remainingAfter = async (as: string) => rateLimitHeaders((await t.call(as, VIEWER)).headers).remaining;

  it('every authenticated answer carries RateLimit-Limit, -Remaining and -Reset, counting down by one', async () => {
    const { primary } = await account(5);
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.call(primary.secret, VIEWER);
      expect(res.status).toBe(200);
      seen.push(rateLimitHeaders(res.headers));
    }
    expect(seen.map((h) => [h.limit, h.remaining, h.retryAfter])).toEqual([
      [5, 4, null],
      [5, 3, null],
      [5, 2, null],
    ]);
    for (const { reset } of seen) {
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }
  });

  it('all admin keys of an account draw from one pool', async () => {
    const { primary } = await account(5);
    const second = await t.seed.key(primary.secret, { name: 'second admin key' });
    // Making the second key was the pool's first request.
    expect(await remainingAfter(primary.secret)).toBe(3);
    expect(await remainingAfter(second.secret)).toBe(2);
    expect(await remainingAfter(primary.secret)).toBe(1);
  });

  it("each client's keys share that client's pool, apart from the admin pool and other clients", async () => {
    const { primary } = await account(10);
    const [acme, globex] = [await t.seed.client(primary.secret), await t.seed.client(primary.secret)];
    const acmeKeys = [await t.seed.key(primary.secret, { clientId: acme.id }), await t.seed.key(primary.secret, { clientId: acme.id })];
    const globexKey = await t.seed.key(primary.secret, { clientId: globex.id });
    expect(await remainingAfter(acmeKeys[0].secret)).toBe(9);
    expect(await remainingAfter(acmeKeys[1].secret)).toBe(8);
    expect(await remainingAfter(globexKey.secret)).toBe(9);
    // The seeding above went through the admin pool: 2 clients and 3 keys, then this request.
    expect(await remainingAfter(primary.secret)).toBe(10 - 5 - 1);
  });

  it('over the limit: 429 RATE_LIMITED with Retry-After, in GraphQL shape, never a 401', async () => {
    const { primary } = await account(2);
    expect((await t.call(primary.secret, VIEWER)).status).toBe(200);
    expect((await t.call(primary.secret, VIEWER)).status).toBe(200);
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await graphql(t.url, { as: primary.secret, query: VIEWER, headers: { accept } });
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain(accept);
      expect(res.data).toBeUndefined();
      expect(res.errors).toHaveLength(1);
      expect(codeOf(res)).toBe('RATE_LIMITED');
      expect(res.errors![0].message).toMatch(/retry in \d+ s/);
      const headers = rateLimitHeaders(res.headers);
      expect(headers).toMatchObject({ limit: 2, remaining: 0 });
      expect(headers.retryAfter).toBeGreaterThanOrEqual(1);
      expect(headers.retryAfter).toBeLessThanOrEqual(60);
      expect(headers.retryAfter).toBe(headers.reset);
      expect(res.errors![0].extensions?.retryAfter).toBe(headers.retryAfter);
    }
  });

  it('REST routes draw from the same pool and refuse in the REST error shape', async () => {
    const { primary } = await account(3);
    const list = () => rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: primary.secret });
    expect(await remainingAfter(primary.secret)).toBe(2);
    let res = await list();
    expect([res.status, rateLimitHeaders(res.headers).remaining]).toEqual([200, 1]);
    res = await list();
    expect([res.status, rateLimitHeaders(res.headers).remaining]).toEqual([200, 0]);
    res = await list();
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/Rate limit of 3/), retryAfter: expect.any(Number) },
    });
    expect(rateLimitHeaders(res.headers).retryAfter).toBeGreaterThanOrEqual(1);
    // And GraphQL is refused too: one pool.
    expect((await t.call(primary.secret, VIEWER)).status).toBe(429);
  });

  it('viewer.rateLimit reports the pool, this request included; null without a pool', async () => {
    const { primary } = await account(5);
    const query = '{ viewer { principal rateLimit { limit remaining resetAt } } }';
    const res = await t.call(primary.secret, query);
    const { rateLimit } = dataOf(res).viewer;
    expect(rateLimit).toMatchObject({ limit: 5, remaining: 4 });
    const resetIn = (Date.parse(rateLimit.resetAt) - Date.now()) / 1000;
    expect(resetIn).toBeGreaterThan(0);
    expect(resetIn).toBeLessThanOrEqual(60);
    expect(rateLimitHeaders(res.headers).remaining).toBe(4);

    for (const as of [undefined, t.operatorToken]) {
      const unpooled = await t.call(as, query);
      expect(dataOf(unpooled).viewer.rateLimit).toBeNull();
      expect(rateLimitHeaders(unpooled.headers)).toEqual({ limit: null, remaining: null, reset: null, retryAfter: null });
    }
  });

  it("the operator's new limit applies to the current window at once", async () => {
    const { id, primary } = await account(1);
    expect((await t.call(primary.secret, VIEWER)).status).toBe(200);
    expect((await t.call(primary.secret, VIEWER)).status).toBe(429);
    await setRateLimit(t, id, 10);
    const res = await t.call(primary.secret, VIEWER);
    expect(res.status).toBe(200);
    // The refused request counted too: 3 of 10 used.
    expect(rateLimitHeaders(res.headers)).toMatchObject({ limit: 10, remaining: 7 });
  });

  it('dashboard users each have a pool of their own, apart from the keys', async () => {
    const { id, primary } = await account(2);
    const token = (sub: string) => userToken({ sub, account_id: id, roles: ['developer'] });
    const [alice, bob] = [await token('alice'), await token('bob')];
    expect(await remainingAfter(alice)).toBe(1);
    expect(await remainingAfter(alice)).toBe(0);
    const refused = await t.call(alice, VIEWER);
    expect([refused.status, codeOf(refused)]).toEqual([429, 'RATE_LIMITED']);
    expect(await remainingAfter(bob)).toBe(1);
    expect(await remainingAfter(primary.secret)).toBe(1);
  });

  (process.env.TEST_REDIS_URL ? it : it.skip)('keeps its counters in Redis when REDIS_URL is set', async () => {
    const { primary } = await account(5);
    await remainingAfter(primary.secret);
    const redis = new Redis(process.env.TEST_REDIS_URL!);
    try {
      const keys = await redis.keys(`${redisKeyPrefix}:rl:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => /:rl:(account|client|user):/.test(key))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
