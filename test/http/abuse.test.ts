import { ABUSE_LIMITS } from '../../src/http/abuse-limits';
import { useTestServer } from '../support/harness';

interface Hostile {
  name: string;
  /** A JSON body (serialised here) or `raw` text sent as it is. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Defaults to /graphql; a path with `?` keeps its query. */
  path?: string;
  /** application/graphql-response+json unless given: request errors then answer 4xx, as the spec asks. */
  accept?: string;
  status: number;
  /** The error code the answer must carry (GraphQL's extensions.code, or the REST error's code). */
  code?: string;
  message?: RegExp;
}

const q = (query: string, variables?: Record<string, unknown>) => ({ query, variables });
const nested = (levels: number) => `{ ${'clients { edges { node { apiKeys { client { '.repeat(levels)}name${' } } } } }'.repeat(levels)} }`;

/**
 * Hostile inputs, through HTTP, as an authenticated admin key: each gets a
 * clear 4xx (or a 200 with an answer), never a 500 and never a stack trace.
 */
const HOSTILE: Hostile[] = [
  // Shape limits (GraphQL Armor and the parser's token limit).
  { name: 'deep nesting', body: q(nested(3)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /depth limit of 10 exceeded/ },
  {
    name: 'absurdly deep nesting',
    body: q(`{${' a {'.repeat(20_000)}${' }'.repeat(20_001)}`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
    message: /1000 tokens/,
  },
  {
    name: 'a huge alias fan-out',
    body: q(`{ ${Array.from({ length: 500 }, (_, i) => `a${i}: permissions { name }`).join(' ')} }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'more aliases than allowed',
    body: q(`{ ${Array.from({ length: 21 }, (_, i) => `a${i}: viewer { principal }`).join(' ')} }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /Aliases limit of 20 exceeded/,
  },
  {
    name: 'a query too costly',
    body: q(
      `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: clients(first: 100) { edges { node { apiKeys { id name prefix status permissions createdAt client { id name apiKeys { id name prefix } } } } } }`).join(' ')} }`,
    ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /complexity limit of 50000 exceeded/,
  },
  {
    name: 'a flood of directives',
    body: q(`{ viewer { principal ${'@include(if: true) '.repeat(60)} } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'too many tokens', body: q(`{ viewer { ${'principal '.repeat(1200)} } }`), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'lists nested in lists',
    body: q('{ clients(first: 100) { edges { node { apiKeys { client { apiKeys { id } } } } } } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /complexity limit/,
  },
  {
    name: 'a page size hidden in a variable',
    body: q(
      `query($n: Int) { ${['a', 'b', 'c'].map((alias) => `${alias}: clients(first: $n) { edges { node { apiKeys { id name prefix status permissions createdAt updatedAt } } } }`).join(' ')} }`,
      { n: 100 },
    ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /complexity limit/,
  },
  {
    name: 'the heaviest useful page still runs: 100 clients with all their keys',
    body: q(
      `{ clients(first: 100) { totalCount edges { cursor node { id name apiKeys { id name kind status isPrimary prefix permissions expiresAt lastUsedAt createdAt updatedAt client { id name } } } } } }`,
    ),
    status: 200,
  },
  {
    name: 'a fragment cycle',
    body: q('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },

  // Long strings and unicode.
  {
    name: 'a 200 kB name',
    body: q('mutation($n: String!) { createClient(input: { name: $n }) { id } }', { n: 'x'.repeat(200_000) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a body over the limit',
    raw: JSON.stringify(q('{ viewer { principal } }', { pad: 'x'.repeat(300_000) })),
    status: 413,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a 100 kB key to verify',
    body: q('query($k: String!) { verifyApiKey(key: $k) { code } }', { k: 'sk_'.repeat(33_000) }),
    status: 200,
  },
  {
    name: 'emoji and combining marks in a name',
    body: q('mutation($n: String!) { createClient(input: { name: $n }) { id name } }', { n: '🔑 Ä̸̧ñ ٱلعربية 中文 ' + 'é'.repeat(40) }),
    status: 200,
  },
  {
    name: 'a thousand combining marks',
    body: q('mutation($n: String!) { createClient(input: { name: $n }) { id } }', { n: 'a' + '\u0301'.repeat(1000) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'control characters and a NUL in a name',
    body: q('mutation($n: String!) { createClient(input: { name: $n }) { id } }', { n: 'evil\u0000\u202e\u0007name' }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'lone surrogates',
    raw: '{"query":"mutation($n: String!) { createClient(input: { name: $n }) { id } }","variables":{"n":"\\ud800\\udfff\\udc00"}}',
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'a non-ASCII field name', body: q('{ vïewer { principal } }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },

  // Injection-shaped filters: plain data, matched literally.
  { name: 'SQL in a key name filter', body: q(`{ apiKeys(filter: { name: "' OR 1=1 --" }) { totalCount } }`), status: 200 },
  { name: 'LIKE wildcards in a filter', body: q('{ clients(filter: { name: "%_%\\\\" }) { totalCount } }'), status: 200 },
  { name: 'SQL in a lead filter', body: q('{ leads(filter: { email: "\\"; DROP TABLE api_keys; --" }) { totalCount } }'), status: 200 },
  { name: 'SQL in an id', body: q('{ apiKey(id: "1 OR 1=1") { id } }'), status: 200 },
  { name: 'an id beyond any integer column', body: q(`{ apiKey(id: "${'9'.repeat(400)}") { id } client(id: "-1") { id } }`), status: 200 },
  { name: 'a forged cursor', body: q('{ apiKeys(after: "J09SIDE9MS0t") { totalCount } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'SQL in a REST query string', method: 'GET', path: "/api/v1/client/api-key?keyName=' OR '1'='1", status: 200 },
  {
    name: 'SQL in a REST id parameter',
    method: 'GET',
    path: '/api/v1/client/api-key?clientId=1;DROP TABLE clients',
    status: 422,
    code: 'BAD_USER_INPUT',
  },
  { name: 'a huge REST id', method: 'DELETE', path: `/api/v1/client/api-key/${'9'.repeat(300)}`, status: 404, code: 'NOT_FOUND' },

  // Malformed requests.
  { name: 'truncated JSON', raw: '{"query": "{ viewer { principal } }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON null', raw: 'null', status: 400 },
  { name: 'a JSON string', raw: '"{ viewer { principal } }"', status: 400 },
  {
    name: 'deeply nested JSON',
    raw: `{"query":"{ viewer { principal } }","variables":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    status: 200,
  },
  {
    name: 'a form post',
    raw: 'query=%7B%20viewer%20%7B%20principal%20%7D%20%7D',
    contentType: 'application/x-www-form-urlencoded',
    status: 400,
  },
  {
    name: '__proto__ in variables',
    raw: '{"query":"{ apiKeys(first: 1) { totalCount } }","variables":{"__proto__":{"admin":true},"constructor":{"prototype":{}}}}',
    status: 200,
  },

  // Wrong types.
  {
    name: 'a string for an Int variable',
    body: q('query($n: Int) { apiKeys(first: $n) { totalCount } }', { n: 'ten' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a string for an Int literal',
    body: q('{ apiKeys(first: "ten") { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an Int beyond 32 bits',
    body: q('{ apiKeys(first: 99999999999) { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'a negative page size', body: q('{ apiKeys(first: -1) { totalCount } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a number as the query', body: { query: 42 }, status: 400 },
  { name: 'variables as a string', body: { query: '{ viewer { principal } }', variables: '{"a":1}' }, status: 400 },
  {
    name: 'an unknown enum value',
    body: q('{ apiKeys(filter: { status: DROPPED }) { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an object for a list of permissions',
    body: q('mutation($p: [Permission!]!) { updateApiKeyPermissions(id: "1", permissions: $p) { id } }', { p: { KEYS_READ: true } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'an unknown operation name', body: { query: '{ viewer { principal } }', operationName: 'Nope' }, status: 400 },
];

describe('hostile inputs never yield a 500 or a stack trace', () => {
  const t = useTestServer();

  it('enforces the documented limits', () => {
    expect(ABUSE_LIMITS).toMatchObject({ maxDepth: 10, maxAliases: 20, maxTokens: 1000, maxComplexity: 50_000 });
  });

  it.each(HOSTILE)('$name', async (row) => {
    const url = new URL(row.path ?? '/graphql', t.url);
    const method = row.method ?? 'POST';
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${t.account.primary.secret}`,
        accept: row.accept ?? 'application/graphql-response+json, application/json;q=0.9',
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': row.contentType ?? 'application/json' }),
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : (row.raw ?? JSON.stringify(row.body)),
    });
    const text = await res.text();
    expect([row.name, res.status]).toEqual([row.name, row.status]);
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(text).not.toMatch(/INTERNAL_SERVER_ERROR|Internal server error|QueryFailedError|\bER_[A-Z_]+|SQLITE_/);
    const body = JSON.parse(text);
    const codes: string[] =
      body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code) ?? (body.error ? [body.error.code] : []);
    if (row.code) expect(codes).toContain(row.code);
    if (row.message) expect(text).toMatch(row.message);
  });

  it('leaves the data intact after the injection-shaped rows', async () => {
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${t.account.primary.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(q('{ apiKeys { totalCount } clients { totalCount } }')),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.data.apiKeys.totalCount).toBeGreaterThanOrEqual(1);
  });
});
