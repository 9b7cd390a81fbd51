import { serverAudits } from 'graphql-http';
import { request } from 'node:http';
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const KEY_COUNT = '{ apiKeys { totalCount } }';

interface RawResponse {
  status: number;
  headers: Headers;
  contentType: string;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

describe('GraphQL over HTTP', () => {
  const t = useTestServer();

  const endpoint = (params: Record<string, string> = {}): string => {
    const url = new URL('/graphql', t.url);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  };

  async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
    const res = await fetch(url, init);
    const body = (await res.json()) as RawResponse['body'];
    return { status: res.status, headers: res.headers, contentType: res.headers.get('content-type') ?? '', body };
  }

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) => send(endpoint(params), { headers });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    send(endpoint(), { method: 'POST', headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) });

  const keyCount = async (): Promise<number> => (await t.data(t.account.primary.secret, KEY_COUNT)).apiKeys.totalCount;

  /**
   * graphql-http's audit of the spec, each audit its own test. Every MUST,
   * SHOULD and MAY audit passes today; one that a change must give up goes in
   * a list here with the reason, never silently. Run anonymously and with a
   * valid key, so authentication cannot bend the protocol.
   */
  describe.each([
    ['anonymously', (): Record<string, string> => ({})],
    ['with an admin key', (): Record<string, string> => ({ authorization: `Bearer ${t.account.primary.secret}` })],
  ])('the graphql-http server audit, %s', (_who, credentialHeaders) => {
    const fetchFn = (input: string, init: RequestInit = {}) =>
      fetch(input, { ...init, headers: { ...credentialHeaders(), ...(init.headers as Record<string, string>) } });
    const audits = serverAudits({ url: () => endpoint(), fetchFn });

    it.each(audits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))('%s', async (_name, audit) => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  });

  describe('GET', () => {
    it('runs a query anonymously: { permissions { name } }', async () => {
      const res = await get({ query: '{ permissions { name } }' });
      expect(res.status).toBe(200);
      expect(res.contentType).toBe(`${JSON_TYPE}; charset=utf-8`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.permissions.map((p: { name: string }) => p.name)).toContain('keys:read');
    });

    it('takes operationName and JSON-encoded variables, and answers in the accepted media type', async () => {
      const res = await get(
        {
          query: 'query A { permissions { name } } query B($name: String!) { __type(name: $name) { name } }',
          operationName: 'B',
          variables: JSON.stringify({ name: 'ApiKey' }),
        },
        { accept: GRAPHQL_RESPONSE },
      );
      expect(res.status).toBe(200);
      expect(res.contentType).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(res.body).toEqual({ data: { __type: { name: 'ApiKey' } } });
    });

    it('authenticates with the api_key query parameter', async () => {
      const res = await get({ query: '{ viewer { principal prefix } }', api_key: t.account.primary.secret });
      expect(res.status).toBe(200);
      expect(res.body.data.viewer).toEqual({ principal: 'ADMIN_KEY', prefix: t.account.primary.prefix });
    });

    it.each([JSON_TYPE, GRAPHQL_RESPONSE])('refuses a mutation with 405 and Allow: POST under %s, and nothing changes', async (accept) => {
      const before = await keyCount();
      const res = await get({ query: 'mutation { createPlaygroundKey { secret } }', api_key: t.account.primary.secret }, { accept });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.contentType).toBe(`${accept}; charset=utf-8`);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors?.[0].message).toMatch(/GET requests only support query operations/);
      expect(await keyCount()).toBe(before);
    });

    it('refuses the mutation of a multi-operation document chosen by operationName', async () => {
      const before = await keyCount();
      const res = await get({
        query: 'query Q { __typename } mutation M { createPlaygroundKey { secret } }',
        operationName: 'M',
        api_key: t.account.primary.secret,
      });
      expect(res.status).toBe(405);
      expect(await keyCount()).toBe(before);
    });
  });

  it.each([
    ['an answer with data', () => post({ query: '{ viewer { prefix } }' }, { authorization: `Bearer ${t.account.primary.secret}` }), 200],
    ['a request error', () => post({ query: '{ nope }' }, { accept: GRAPHQL_RESPONSE }), 400],
    [
      'a refused credential',
      () => post({ query: '{ __typename }' }, { authorization: 'Bearer sk_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      401,
    ],
    ['a GET query', () => get({ query: '{ permissions { name } }' }), 200],
  ])('tells every cache to keep nothing: %s answers Cache-Control: no-store', async (_case, request, status) => {
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  /** The answer's header field names as sent, in order, lowercased: a field written twice shows twice. */
  function rawFieldNames(body: unknown, headers: Record<string, string>): Promise<{ status: number; names: string[] }> {
    return new Promise((resolve, reject) => {
      const req = request(endpoint(), { method: 'POST', headers: { 'content-type': JSON_TYPE, ...headers } }, (res) => {
        res.resume();
        const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
        res.on('end', () => resolve({ status: res.statusCode ?? 0, names }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it.each([
    ['an answer to a key', () => ({ authorization: `Bearer ${t.account.primary.secret}` }), 200, ['vary', 'ratelimit', 'ratelimit-policy']],
    [
      'a refused credential',
      () => ({ authorization: 'Bearer sk_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      401,
      ['www-authenticate'],
    ],
    ['an anonymous answer', () => ({}), 200, ['vary']],
  ])('writes each header field once: %s', async (_case, headers, status, carries) => {
    const { status: got, names } = await rawFieldNames({ query: '{ viewer { prefix } }' }, headers());
    expect(got).toBe(status);
    expect(names).toEqual(expect.arrayContaining(['cache-control', 'content-type', 'content-length', ...carries]));
    expect(names.length).toBe(new Set(names).size);
  });

  it('refuses other methods with 405 and Allow: GET, POST', async () => {
    const res = await send(endpoint({ query: '{ __typename }' }), { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  describe('request errors: the status depends on the media type', () => {
    const cases = [
      ['a validation error', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
      ['a syntax error', { query: '{ permissions { ' }, 'GRAPHQL_PARSE_FAILED'],
      [
        'a variable that does not coerce',
        { query: 'query($id: ID!) { apiKey(id: $id) { id } }', variables: { id: null } },
        'BAD_USER_INPUT',
      ],
      ['an unknown operationName', { query: 'query A { __typename }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
    ] as const;

    it.each(cases)('%s under application/graphql-response+json: 400, that type, no data', async (_case, body, code) => {
      const res = await post(body, { accept: GRAPHQL_RESPONSE });
      expect(res.status).toBe(400);
      expect(res.contentType).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors?.[0].extensions?.code).toBe(code);
    });

    it.each(cases)('%s under application/json: 200 (the spec), application/json, no data', async (_case, body, code) => {
      const res = await post(body, { accept: JSON_TYPE });
      expect(res.status).toBe(200);
      expect(res.contentType).toBe(`${JSON_TYPE}; charset=utf-8`);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors?.[0].extensions?.code).toBe(code);
    });

    it('a request that is not GraphQL over HTTP at all (no query) stays 400 under application/json', async () => {
      const res = await post({ qeury: '{ __typename }' }, { accept: JSON_TYPE });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    });

    it('a body that is not JSON is 400 in the accepted media type', async () => {
      const res = await send(endpoint(), {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE, accept: GRAPHQL_RESPONSE },
        body: '{ "query": ',
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    });
  });

  describe('a presented credential that fails: 401 before GraphQL runs, in GraphQL shape', () => {
    const BAD_KEY = 'sk_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

    function expectRefused(res: RawResponse, mediaType: string): void {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.contentType).toBe(`${mediaType}; charset=utf-8`);
      expect(res.body).not.toHaveProperty('data');
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }

    it.each([
      ['no Accept header', undefined, JSON_TYPE],
      ['Accept: application/json', JSON_TYPE, JSON_TYPE],
      ['Accept: application/graphql-response+json', GRAPHQL_RESPONSE, GRAPHQL_RESPONSE],
      ['graphql-response+json preferred by q', `${JSON_TYPE};q=0.5, ${GRAPHQL_RESPONSE}`, GRAPHQL_RESPONSE],
      ['Accept: */*', '*/*', JSON_TYPE],
      ['an Accept that takes neither (falls back to JSON)', 'text/html', JSON_TYPE],
    ])('on GET with the api_key parameter, %s', async (_case, accept, mediaType) => {
      const res = await get({ query: '{ permissions { name } }', api_key: BAD_KEY }, accept ? { accept } : {});
      expectRefused(res, mediaType);
    });

    it('on POST with a bearer token, under application/graphql-response+json', async () => {
      const headers = { authorization: `Bearer ${BAD_KEY}`, accept: GRAPHQL_RESPONSE };
      const res = await post({ query: '{ permissions { name } }' }, headers);
      expectRefused(res, GRAPHQL_RESPONSE);
    });

    it('on GET for a revoked key, naming its prefix', async () => {
      const create = 'mutation { createPlaygroundKey { secret apiKey { id prefix } } }';
      const created = (await t.data(t.account.primary.secret, create)).createPlaygroundKey;
      dataOf(await t.call(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: created.apiKey.id }));
      const res = await get({ query: '{ viewer { principal } }', api_key: created.secret }, { accept: GRAPHQL_RESPONSE });
      expectRefused(res, GRAPHQL_RESPONSE);
      expect(res.body.errors?.[0].message).toContain(created.apiKey.prefix);
    });

    it('on a GET mutation, before the method check: the 401 wins over the 405', async () => {
      const res = await get({ query: 'mutation { createPlaygroundKey { secret } }', api_key: BAD_KEY });
      expectRefused(res, JSON_TYPE);
    });

    it('for an api_key parameter given twice', async () => {
      const url = `${endpoint({ query: '{ __typename }' })}&api_key=${t.account.primary.secret}&api_key=${BAD_KEY}`;
      expectRefused(await send(url), JSON_TYPE);
    });
  });
});
