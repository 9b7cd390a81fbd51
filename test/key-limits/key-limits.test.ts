import { codeOf, dataOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { verifyByRest } from '../verify/verify.fixtures';
import { createKey, limitedKey, remainingByName, UPDATE_KEY, verified, verifyWith } from './key-limits.fixtures';

const HOUR_MS = 3_600_000;
const viewer = (url: string, key: string) => graphql(url, { as: key, query: '{ viewer { prefix } }' });

/*
 * A key's own named limits, besides its pool: each request made with the
 * key charges every one 1, a verification every one 1 or those it names
 * with their cost. The strictest refusal wins, and a refused use charges
 * nothing anywhere (pool, named limits, credits).
 */
describe('named rate limits on keys', () => {
  const t = useTestServer();
  const owner = () => t.account.primary.secret;

  it('are set at creation and shown on the key; none by default', async () => {
    const limits = [
      { name: 'search', limit: 2, durationSeconds: 3600 },
      { name: 'tokens:write', limit: 100, durationSeconds: 86400 },
    ];
    expect(dataOf(await createKey(t.url, owner(), { rateLimits: limits })).createApiKey.apiKey.rateLimits).toEqual(limits);
    expect(dataOf(await createKey(t.url, owner(), {})).createApiKey.apiKey.rateLimits).toEqual([]);
  });

  it.each([
    [Array.from({ length: 11 }, (_, i) => ({ name: `l${i}`, limit: 1, durationSeconds: 60 })), 'rateLimits'],
    [
      [
        { name: 'a', limit: 1, durationSeconds: 60 },
        { name: 'a', limit: 2, durationSeconds: 60 },
      ],
      'rateLimits[1].name',
    ],
    [[{ name: '-bad', limit: 1, durationSeconds: 60 }], 'rateLimits[0].name'],
    [[{ name: 'a', limit: 0, durationSeconds: 60 }], 'rateLimits[0].limit'],
    [[{ name: 'a', limit: 1, durationSeconds: 0 }], 'rateLimits[0].durationSeconds'],
    [[{ name: 'a', limit: 1, durationSeconds: 86401 }], 'rateLimits[0].durationSeconds'],
  ])('refuse %j, naming the field', async (rateLimits, field) => {
    const res = await createKey(t.url, owner(), { rateLimits });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('a verification charges every limit 1 by default; the one used up answers RATE_LIMITED with the details, charging nothing', async () => {
    const key = await limitedKey(t.url, owner(), {
      remaining: 10,
      rateLimits: [
        { name: 'search', limit: 2, durationSeconds: 3600 },
        { name: 'burst', limit: 5, durationSeconds: 3600 },
      ],
    });
    const first = await verified(t.url, t.operatorToken, key.secret);
    expect(first).toMatchObject({ valid: true, code: 'VALID', remaining: 9 });
    expect(first.rateLimits).toEqual([
      { name: 'search', limit: 2, remaining: 1, resetAt: expect.any(String) },
      { name: 'burst', limit: 5, remaining: 4, resetAt: expect.any(String) },
    ]);
    // Whole again once this use leaves the sliding hour: one hour, plus at most a bucket (a sixtieth).
    const wholeIn = new Date(first.rateLimits[0].resetAt).getTime() - t.clock.now();
    expect(wholeIn).toBeGreaterThan(HOUR_MS - 1000);
    expect(wholeIn).toBeLessThanOrEqual(HOUR_MS + HOUR_MS / 60);
    await verified(t.url, t.operatorToken, key.secret);
    const pool = (await verified(t.url, t.operatorToken, key.secret, { cost: 0, rateLimits: [] })).rateLimit.remaining;
    const refused = await verified(t.url, t.operatorToken, key.secret);
    expect(refused).toMatchObject({ valid: false, code: 'RATE_LIMITED', prefix: key.prefix, remaining: 8 });
    expect(remainingByName(refused)).toEqual({ search: 0, burst: 3 });
    // Nothing was charged: not the other limit, not the credits, not the pool.
    const after = await verified(t.url, t.operatorToken, key.secret, { cost: 0, rateLimits: [{ name: 'burst', cost: 0 }] });
    expect([after.code, after.remaining, remainingByName(after), after.rateLimit.remaining]).toEqual(['VALID', 8, { burst: 3 }, pool - 1]);
  });

  it('a verification may name the limits it charges, each with its cost; a name the key lacks is BAD_USER_INPUT naming it', async () => {
    const key = await limitedKey(t.url, owner(), {
      rateLimits: [
        { name: 'search', limit: 10, durationSeconds: 3600 },
        { name: 'export', limit: 3, durationSeconds: 3600 },
      ],
    });
    const named = await verified(t.url, t.operatorToken, key.secret, { rateLimits: [{ name: 'export', cost: 2 }] });
    expect([named.code, remainingByName(named)]).toEqual(['VALID', { export: 1 }]);
    const tooMuch = await verified(t.url, t.operatorToken, key.secret, { rateLimits: [{ name: 'export', cost: 2 }] });
    expect([tooMuch.code, remainingByName(tooMuch)]).toEqual(['RATE_LIMITED', { export: 1 }]);
    expect(remainingByName(await verified(t.url, t.operatorToken, key.secret))).toEqual({ search: 9, export: 0 });
    const unknown = await verifyWith(t.url, t.operatorToken, key.secret, { rateLimits: [{ name: 'export' }, { name: 'upload' }] });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rateLimits[1].name' });
    expect(unknown.errors?.[0]?.message).toMatch(/"upload"/);
    const byRest = await verifyByRest(t, t.operatorToken, { key: key.secret, rate_limits: [{ name: 'upload' }] });
    expect([byRest.status, byRest.body.error.code, byRest.body.error.field]).toEqual([422, 'BAD_USER_INPUT', 'rate_limits[0].name']);
    const plain = await limitedKey(t.url, owner(), {});
    const onPlain = await verifyWith(t.url, t.operatorToken, plain.secret, { rateLimits: [{ name: 'search' }] });
    expect(codeOf(onPlain)).toBe('BAD_USER_INPUT');
  });

  it('REST answers rate_limits and remaining', async () => {
    const key = await limitedKey(t.url, owner(), { remaining: 4, rateLimits: [{ name: 'search', limit: 3, durationSeconds: 3600 }] });
    const res = await verifyByRest(t, t.operatorToken, { key: key.secret, cost: 2 });
    expect(res.body.data).toMatchObject({
      code: 'VALID',
      remaining: 2,
      rate_limits: [{ name: 'search', limit: 3, remaining: 2, reset_at: expect.any(String) }],
    });
  });

  it('each request made with the key charges every limit 1; used up: 429 RATE_LIMITED, Retry-After until a use leaves the window', async () => {
    const key = await limitedKey(t.url, owner(), { rateLimits: [{ name: 'calls', limit: 2, durationSeconds: 3600 }] });
    expect((await viewer(t.url, key.secret)).status).toBe(200);
    expect((await viewer(t.url, key.secret)).status).toBe(200);
    const refused = await viewer(t.url, key.secret);
    expect([refused.status, codeOf(refused)]).toEqual([429, 'RATE_LIMITED']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(3599);
    expect(retryAfter).toBeLessThanOrEqual(3660);
    expect(refused.errors?.[0]?.message).toMatch(/"calls"/);
    // Sliding: half an hour on, both uses still count; once Retry-After has passed, the window has room again.
    t.clock.advance(HOUR_MS / 2);
    expect((await viewer(t.url, key.secret)).status).toBe(429);
    t.clock.advance(retryAfter * 1000 - HOUR_MS / 2);
    expect((await viewer(t.url, key.secret)).status).toBe(200);
    expect((await viewer(t.url, key.secret)).status).toBe(200);
    expect((await viewer(t.url, key.secret)).status).toBe(429);
  });

  it('the strictest refusal wins: the longest wait for Retry-After, and no credits without a refill over any wait', async () => {
    const key = await limitedKey(t.url, owner(), {
      rateLimits: [
        { name: 'second', limit: 1, durationSeconds: 1 },
        { name: 'day', limit: 1, durationSeconds: 86400 },
      ],
    });
    expect((await viewer(t.url, key.secret)).status).toBe(200);
    const refused = await viewer(t.url, key.secret);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600);
    const metered = await limitedKey(t.url, owner(), { remaining: 1, rateLimits: [{ name: 'hour', limit: 1, durationSeconds: 3600 }] });
    expect((await viewer(t.url, metered.secret)).status).toBe(200);
    const out = await viewer(t.url, metered.secret);
    expect([out.status, codeOf(out), out.headers.get('retry-after')]).toEqual([429, 'USAGE_EXCEEDED', null]);
  });

  it('a request refused by its credits charges no named limit', async () => {
    const key = await limitedKey(t.url, owner(), { remaining: 1, rateLimits: [{ name: 'calls', limit: 5, durationSeconds: 3600 }] });
    await viewer(t.url, key.secret);
    expect((await viewer(t.url, key.secret)).status).toBe(429);
    const state = await verified(t.url, t.operatorToken, key.secret, { cost: 0, rateLimits: [{ name: 'calls', cost: 0 }] });
    expect(remainingByName(state)).toEqual({ calls: 4 });
  });

  it('a verification refused for its address or scopes charges no credit and no named limit, and reports them', async () => {
    const key = await limitedKey(t.url, owner(), {
      remaining: 2,
      allowedIps: ['203.0.113.0/24'],
      rateLimits: [{ name: 'calls', limit: 2, durationSeconds: 3600 }],
    });
    const outside = await verified(t.url, t.operatorToken, key.secret, { ip: '198.51.100.1' });
    expect([outside.code, outside.remaining, remainingByName(outside)]).toEqual(['IP_NOT_ALLOWED', 2, { calls: 2 }]);
    const inside = await verified(t.url, t.operatorToken, key.secret, { ip: '203.0.113.9' });
    expect([inside.code, inside.remaining, remainingByName(inside)]).toEqual(['VALID', 1, { calls: 1 }]);
  });

  it('updateApiKey replaces the limits, and null clears them', async () => {
    const key = await limitedKey(t.url, owner(), { rateLimits: [{ name: 'calls', limit: 1, durationSeconds: 3600 }] });
    await verified(t.url, t.operatorToken, key.secret);
    expect((await verified(t.url, t.operatorToken, key.secret)).code).toBe('RATE_LIMITED');
    const update = (rateLimits: unknown) =>
      graphql(t.url, { as: owner(), query: UPDATE_KEY, variables: { id: key.id, input: { rateLimits } } });
    const replaced = [{ name: 'calls', limit: 3, durationSeconds: 3600 }];
    expect(dataOf(await update(replaced)).updateApiKey.rateLimits).toEqual(replaced);
    expect(remainingByName(await verified(t.url, t.operatorToken, key.secret))).toEqual({ calls: 1 });
    expect((await update([{ name: 'x', limit: 1, durationSeconds: 0 }])).errors?.[0]?.extensions).toMatchObject({
      field: 'rateLimits[0].durationSeconds',
    });
    expect(dataOf(await update(null)).updateApiKey.rateLimits).toEqual([]);
    expect(await verified(t.url, t.operatorToken, key.secret)).toMatchObject({ code: 'VALID', rateLimits: [] });
  });
});
