import { codeOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { aliasedViewers, rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

/** What one request costs: aliases, fragments and batches cannot fit more work into one point. */
describe('what a GraphQL request costs', () => {
  const t = useTestServer({}, { account: false });

  /** A fresh admin pool of `limit`, and a probe that spends one point and reports what is left. */
  async function pool(limit: number) {
    const created = await t.seed.account();
    await setRateLimit(t, created.id, limit);
    const key = created.primary.secret;
    const remaining = async () => rateLimitHeaders((await t.call(key, '{ viewer { principal } }')).headers).remaining;
    return { key, remaining };
  }

  it('one point per root field: aliases count one by one', async () => {
    const { key, remaining } = await pool(20);
    const res = await t.call(key, aliasedViewers(4));
    expect(res.status).toBe(200);
    expect(Object.keys(res.data)).toHaveLength(4);
    expect(rateLimitHeaders(res.headers).remaining).toBe(16);
    expect(await remaining()).toBe(15);
  });

  it('fragments, named and inline, are expanded before counting', async () => {
    const { key } = await pool(20);
    const query = `
      query { ...Two ... on Query { c: viewer { principal } d: permissions { name } } }
      fragment Two on Query { a: viewer { principal } b: viewer { principal } }`;
    const res = await t.call(key, query);
    expect(res.status).toBe(200);
    expect(rateLimitHeaders(res.headers).remaining).toBe(16);
  });

  it('an operation with more root fields than the pool has left is refused whole', async () => {
    const { key } = await pool(5);
    expect(rateLimitHeaders((await t.call(key, aliasedViewers(3))).headers).remaining).toBe(2);
    const res = await t.call(key, aliasedViewers(3));
    expect(res.status).toBe(429);
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.data).toBeUndefined();
    expect(rateLimitHeaders(res.headers).retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('a mutation costs like a query, one point per root field', async () => {
    const { key } = await pool(20);
    const res = await t.call(
      key,
      'mutation { a: createClient(input: { name: "One" }) { id } b: createClient(input: { name: "Two" }) { id } }',
    );
    expect(res.status).toBe(200);
    expect(rateLimitHeaders(res.headers).remaining).toBe(18);
  });

  it('only the operation that runs is charged', async () => {
    const { key } = await pool(20);
    const query = `query Small { viewer { principal } } query Big ${aliasedViewers(10)}`;
    const post = (body: object) =>
      fetch(new URL('/graphql', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    // Two operations and no operationName: nothing runs, nothing is charged.
    const unpicked = await post({ query });
    expect(((await unpicked.json()) as any).data).toBeUndefined();
    expect(rateLimitHeaders(unpicked.headers).remaining).toBe(20);
    const picked = await post({ query, operationName: 'Small' });
    expect(picked.status).toBe(200);
    expect(rateLimitHeaders(picked.headers).remaining).toBe(19);
  });

  it('batched requests are refused and charge nothing', async () => {
    const { key, remaining } = await pool(20);
    const batch = Array.from({ length: 10 }, () => ({ query: aliasedViewers(5) }));
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.data).toBeUndefined();
    expect(await remaining()).toBe(19);
  });

  it('a document that does not parse or validate runs nothing and costs nothing, and still reports the pool', async () => {
    const { key, remaining } = await pool(20);
    for (const query of ['{ viewer { principal ', '{ noSuchField }']) {
      const res = await t.call(key, query);
      expect(res.status).toBe(200); // application/json: the spec's 200 for request errors
      expect(res.data).toBeUndefined();
      expect(rateLimitHeaders(res.headers)).toMatchObject({ limit: 20, remaining: 20 });
    }
    expect(await remaining()).toBe(19);
  });

  it('GET requests are charged like POST', async () => {
    const { key } = await pool(20);
    const url = new URL('/graphql', t.url);
    url.searchParams.set('query', aliasedViewers(3));
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(rateLimitHeaders(res.headers).remaining).toBe(17);
  });
});
