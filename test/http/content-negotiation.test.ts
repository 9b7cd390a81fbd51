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
});
