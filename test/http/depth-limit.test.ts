import { ABUSE_LIMITS } from '../../src/http/abuse-limits';
import { useTestServer } from '../support/harness';

/** A valid document nested past the depth limit: clients → edges → node → (apiKeys → client) × 4 → name is 12 deep. */
const DEEP = `{ clients { edges { node { ${'apiKeys { client { '.repeat(4)}name${' } }'.repeat(4)} } } } }`;
const ALIASES = `{ ${Array.from({ length: ABUSE_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { principal }`).join(' ')} }`;

describe('a document beyond the shape limits', () => {
  const t = useTestServer({}, { account: false });
  let key: string;

  beforeAll(async () => {
    key = (await t.seed.account()).primary.secret;
  });

  async function post(query: string, accept?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    if (accept) headers.accept = accept;
    const res = await fetch(new URL('/graphql', t.url), { method: 'POST', headers, body: JSON.stringify({ query }) });
    return {
      status: res.status,
      body: (await res.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> },
    };
  }

  it('is refused as a validation error naming the limit, not as a syntax error', async () => {
    const { body } = await post(DEEP, 'application/graphql-response+json');
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      { message: 'Query depth limit of 10 exceeded, found 12.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const aliases = await post(ALIASES, 'application/graphql-response+json');
    expect(aliases.body.errors.map((e) => e.message)).toEqual(['Aliases limit of 20 exceeded, found 21.']);
  });

  it.each([
    ['application/graphql-response+json', 400],
    ['application/json', 200],
    [undefined, 200],
  ])('answers with the status the README gives for Accept %s: %d', async (accept, status) => {
    const { status: answered, body } = await post(DEEP, accept);
    expect(answered).toBe(status);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
