import { useTestServer } from '../support/harness';

/** Whatever arrives, the answer is a clear 4xx in GraphQL's shape: never a 500 or a stack trace. */
describe('malformed requests', () => {
  const t = useTestServer({}, { account: false });

  // Under the legacy application/json a document that fails to parse or validate
  // is answered 200 (GraphQL over HTTP; see test/http/graphql-over-http.test.ts);
  // the status carries the failure under application/graphql-response+json.
  async function post(body: string, contentType = 'application/json') {
    const headers = { 'content-type': contentType, accept: 'application/graphql-response+json' };
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) };
  }

  it.each([
    ['invalid JSON', '{"query": ', 400, 'not valid JSON'],
    ['a body over the size limit', JSON.stringify({ query: `{ viewer { principal } }${' '.repeat(300_000)}` }), 413, 'larger than'],
    ['a syntax error', JSON.stringify({ query: '{ viewer { ' }), 400, 'Syntax Error'],
    ['an unknown field', JSON.stringify({ query: '{ nope }' }), 400, 'Cannot query field'],
  ])('answers %s with a 4xx', async (_case, body, status, message) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.json.errors[0].message).toContain(message);
    expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/);
  });

  it('answers a wrongly typed argument with BAD_USER_INPUT', async () => {
    const res = await post(JSON.stringify({ query: '{ apiKeys(first: "ten") { totalCount } }' }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
