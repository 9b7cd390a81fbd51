import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';

const KEY_COUNT = '{ apiKeys { totalCount } }';
const CREATE_KEY = 'mutation { createApiKey(input: { name: "lost secret" }) { secret } }';
/** What Chromium sends when a person opens a URL. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('content negotiation on /graphql', () => {
  const t = useTestServer();

  const keyCount = async (): Promise<number> => (await t.data(t.account.primary.secret, KEY_COUNT)).apiKeys.totalCount;

  const open = (path: string, accept: string) => fetch(new URL(path, t.url), { headers: { accept }, redirect: 'manual' });

  describe('an Accept that takes neither GraphQL media type is refused (406) before anything runs', () => {
    it.each(['text/event-stream', 'text/html', 'application/xml', 'multipart/mixed'])(
      'createApiKey under Accept: %s answers 406 and creates no key, so no secret is lost',
      async (accept) => {
        const before = await keyCount();
        const res = await fetch(new URL('/graphql', t.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${t.account.primary.secret}` },
          body: JSON.stringify({ query: CREATE_KEY }),
        });
        expect(res.status).toBe(406);
        const body = (await res.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
        expect(body).not.toHaveProperty('data');
        expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
        expect(body.errors[0].message).toMatch(/application\/json/);
        expect(await keyCount()).toBe(before);
      },
    );

    it('costs the caller nothing: the pool is not charged for a refused request', async () => {
      const remaining = async () => Number((await t.call(t.account.primary.secret, '{ __typename }')).headers.get('ratelimit-remaining'));
      const first = await remaining();
      await fetch(new URL('/graphql', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${t.account.primary.secret}` },
        body: JSON.stringify({ query: KEY_COUNT }),
      });
      expect(await remaining()).toBe(first - 1);
    });

    it.each(['application/json', 'application/graphql-response+json', '*/*', 'application/*', 'text/event-stream, application/json;q=0.1'])(
      'Accept: %s still runs',
      async (accept) => {
        const res = await graphql(t.url, { as: t.account.primary.secret, query: '{ viewer { prefix } }', headers: { accept } });
        expect(res.status).toBe(200);
        expect(res.data.viewer.prefix).toBe(t.account.primary.prefix);
      },
    );
  });

  describe('a browser opening the API is sent to the explorer', () => {
    it.each([
      ['/', BROWSER_ACCEPT],
      ['/', 'text/html'],
      ['/graphql', BROWSER_ACCEPT],
      ['/graphql', 'text/html'],
    ])('GET %s with Accept: %s redirects to /explorer', async (path, accept) => {
      const res = await open(path, accept);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/explorer');
      expect(res.headers.get('vary')).toMatch(/Accept/);
    });

    it('a GET /graphql with a query still answers it, also in a browser', async () => {
      const url = new URL('/graphql', t.url);
      url.searchParams.set('query', '{ permissions { name } }');
      const res = await fetch(url, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).data.permissions.length).toBeGreaterThan(0);
    });

    it.each([
      ['/graphql', 'application/json', 400],
      ['/graphql', 'application/graphql-response+json', 400],
      ['/graphql', '*/*', 400],
      ['/', 'application/json', 404],
      ['/', '*/*', 404],
    ])('an API client keeps its answer: GET %s with Accept: %s is %d', async (path, accept, status) => {
      const res = await open(path, accept);
      expect(res.status).toBe(status);
      expect(res.headers.get('location')).toBeNull();
    });
  });

  describe("an answer comes in the GraphQL type its Accept prefers (by weight, then the client's order; a wildcard, application/json)", () => {
    const post = (accept: string | undefined, query: string) =>
      fetch(new URL('/graphql', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.account.primary.secret}`, ...(accept ? { accept } : {}) },
        body: JSON.stringify({ query }),
      });

    it.each([
      [undefined, 'application/json'],
      ['*/*', 'application/json'],
      ['application/json', 'application/json'],
      ['application/graphql-response+json', 'application/graphql-response+json'],
      ['application/graphql-response+json, application/json', 'application/graphql-response+json'],
      ['application/json, application/graphql-response+json', 'application/json'],
      ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
      ['application/json;q=0.5, application/graphql-response+json;q=0.8, text/html', 'application/graphql-response+json'],
      ['text/html, application/*;q=0.2', 'application/json'],
    ])('Accept: %s answers a query, and a document that does not validate, in %s', async (accept, type) => {
      const ran = await post(accept, '{ viewer { prefix } }');
      expect(ran.status).toBe(200);
      expect(ran.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(((await ran.json()) as any).data.viewer.prefix).toBe(t.account.primary.prefix);
      // The spec's status for a request error: 400 under the new type, 200 under the legacy one.
      const refused = await post(accept, '{ noSuchField }');
      expect(refused.status).toBe(type === 'application/json' ? 200 : 400);
      expect(refused.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('a request Apollo refuses before running it (no query) is answered in the accepted type too', async () => {
      const res = await fetch(new URL('/graphql', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ variables: {} }),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    });
  });
});
