import { rest } from '../rest/rest-client';
import { codeOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { neverIssuedKey, verifyByGraphQL, verifyByRest } from '../verify/verify.fixtures';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

const VIEWER = '{ viewer { principal } }';
const LIMIT = 5;

/**
 * A presented credential that fails costs its client address a point of a
 * pool of its own (AUTH_FAILURES_PER_MINUTE): once it is empty, that
 * address's credentials are refused 429 RATE_LIMITED with Retry-After before
 * any database lookup. Every request of these tests comes from one address
 * (the test process), so each test file's server is that address's only judge.
 */
describe('failed authentications per client address', () => {
  const t = useTestServer({ authFailuresPerMinute: LIMIT });

  it('forged checksum-valid keys cost a lookup each up to the limit, then 429 with Retry-After and no lookup', async () => {
    const answers = [];
    for (let i = 0; i < LIMIT; i++) answers.push(await graphql(t.url, { as: neverIssuedKey(), query: VIEWER }));
    expect(answers.map((a) => [a.status, codeOf(a)])).toEqual(Array(LIMIT).fill([401, 'UNAUTHENTICATED']));

    t.sql.reset();
    const refused = await graphql(t.url, { as: neverIssuedKey(), query: VIEWER });
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(rateLimitHeaders(refused.headers).retryAfter).toBeGreaterThanOrEqual(1);
    expect(t.sql.statements).toEqual([]);

    // The same on REST, in its error shape.
    const onRest = await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: neverIssuedKey() });
    expect(onRest.status).toBe(429);
    expect(onRest.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect(onRest.headers.get('retry-after')).not.toBeNull();
    expect(t.sql.statements).toEqual([]);

    // A thousand more forged keys from that address cost the database nothing.
    const flood = await Promise.all(Array.from({ length: 1000 }, () => graphql(t.url, { as: neverIssuedKey(), query: VIEWER })));
    expect(new Set(flood.map((a) => a.status))).toEqual(new Set([429]));
    expect(t.sql.statements).toEqual([]);

    // Callers without a credential are not refused: the public catalogue still answers.
    const anonymous = await graphql(t.url, { query: '{ permissions { name } }' });
    expect(anonymous.status).toBe(200);
  });
});

describe('verifications of unknown keys', () => {
  const t = useTestServer();

  it("cost the verifier's own pool a point each, and are refused RATE_LIMITED once it is empty", async () => {
    const verifierAccount = await t.seed.account();
    await setRateLimit(t, verifierAccount.id, 10);
    const verifier = await t.seed.key(verifierAccount.primary.secret, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
    // Creating the verifier cost its account one point; nine are left.
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await verifyByGraphQL(t, verifier.secret, neverIssuedKey()));
    expect(answers.map((a) => a.data?.verifyApiKey?.code)).toEqual(Array(9).fill('NOT_FOUND'));
    expect(rateLimitHeaders(answers[8].headers).remaining).toBe(0);

    const graphqlRefused = await verifyByGraphQL(t, verifier.secret, neverIssuedKey());
    expect(codeOf(graphqlRefused)).toBe('RATE_LIMITED');
    expect(graphqlRefused.data?.verifyApiKey ?? null).toBeNull();

    const restRefused = await verifyByRest(t, verifier.secret, { key: neverIssuedKey() });
    expect(restRefused.status).toBe(429);
    expect(restRefused.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect(restRefused.headers.get('retry-after')).not.toBeNull();
  });
});
