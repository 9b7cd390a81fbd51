import { gzipSync } from 'node:zlib';
import { useTestServer } from '../support/harness';

/**
 * The hot routes read a plain JSON body (declared length, no compression,
 * UTF-8) themselves and hand every other body to body-parser. Whichever path a
 * body takes, the answer is the same: each body below is sent plainly and
 * again gzip-compressed or chunked (which only body-parser reads), and the
 * two answers must match, refusals included.
 */
describe('request bodies on the hot routes', () => {
  const t = useTestServer();
  const verifier = () => t.account.primary.secret;

  type Body = string | Buffer;
  const plainly = (body: Body) => ({ headers: { 'content-type': 'application/json' }, body });
  const compressed = (body: Body) => ({
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(body),
  });
  const chunked = (body: Body) => ({
    headers: { 'content-type': 'application/json' },
    body: new ReadableStream({
      start(controller) {
        const bytes = Buffer.from(body);
        controller.enqueue(bytes.subarray(0, 3));
        controller.enqueue(bytes.subarray(3));
        controller.close();
      },
    }),
    duplex: 'half',
  });

  async function send(path: string, sent: { headers: Record<string, string>; body: unknown; duplex?: string }, key?: string) {
    const headers = { ...sent.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) };
    const res = await fetch(new URL(path, t.url), { method: 'POST', ...sent, headers } as RequestInit);
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: await res.text() };
  }

  const scrub = <T extends { body: string }>(answer: T): T => ({
    ...answer,
    body: answer.body.replace(/"remaining":\d+/, '"remaining":0'),
  });

  const BOM = '\ufeff';
  const graphqlCases: [string, Body][] = [
    ['a query', JSON.stringify({ query: '{ permissions { name } }' })],
    ['a query after a byte-order mark', BOM + JSON.stringify({ query: '{ __typename }' })],
    ['invalid JSON', '{"query": '],
    ['JSON that is not an object (strict, as body-parser)', '"{ __typename }"'],
    ['leading white space before the object', '  \n' + JSON.stringify({ query: '{ __typename }' })],
    ['an empty body', ''],
    ['half a character', '{"query": "{ __typename }", "operationName": "\\ud800"}'],
    ['a body over the size limit', JSON.stringify({ query: `{ __typename }${' '.repeat(300_000)}` })],
  ];

  it.each(graphqlCases)('/graphql answers %s alike on both paths', async (_case, body) => {
    const plain = await send('/graphql', plainly(body));
    expect(plain.cache).toBe('no-store');
    expect(await send('/graphql', compressed(body))).toEqual(plain);
    expect(await send('/graphql', chunked(body))).toEqual(plain);
  });

  it('the plain and the body-parser paths give a working query the same answer', async () => {
    const plain = await send('/graphql', plainly(JSON.stringify({ query: '{ permissions { name } }' })));
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body).data.permissions.length).toBeGreaterThan(0);
  });

  const verifyCases: (key: () => string) => [string, () => Body][] = (key) => [
    ['a verification', () => JSON.stringify({ key: key() })],
    ['a verification after a byte-order mark', () => BOM + JSON.stringify({ key: key() })],
    ['invalid JSON', () => '{"key": '],
    ['JSON that is not an object (any JSON parses; REST says what it wants)', () => '42'],
    ['an unknown field', () => JSON.stringify({ key: key(), keys: [] })],
    ['half a character', () => '{"key": "\\udc00"}'],
    ['a body over the size limit', () => JSON.stringify({ key: key(), pad: ' '.repeat(300_000) })],
  ];

  it.each(verifyCases(() => t.account.primary.secret))('POST /v1/keys/verify answers %s alike on both paths', async (_case, body) => {
    // The verified key is the verifier's own: every answer is about the same key, so the answers compare whole
    // but for the pool's remaining points, which each verification spends.
    const plain = scrub(await send('/v1/keys/verify', plainly(body()), verifier()));
    expect(plain.cache).toBe('no-store');
    expect(scrub(await send('/v1/keys/verify', compressed(body()), verifier()))).toEqual(plain);
    expect(scrub(await send('/v1/keys/verify', chunked(body()), verifier()))).toEqual(plain);
  });

  it.each([
    ['/graphql/', '/graphql'],
    ['/GraphQL', '/graphql'],
    ['/v1/keys/verify/', '/v1/keys/verify'],
  ])('%s, answered through express, answers as %s does', async (spelling, path) => {
    const body = path === '/graphql' ? JSON.stringify({ query: '{ viewer { principal } }' }) : JSON.stringify({ key: 'sk_nope' });
    expect(scrub(await send(spelling, plainly(body), verifier()))).toEqual(scrub(await send(path, plainly(body), verifier())));
  });
});
