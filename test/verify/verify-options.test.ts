import { graphql } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { verifyByRest } from './verify.fixtures';

const VERIFY_WITH = `query($key: String!, $requiredScopes: [String!], $ip: String, $cost: Int, $rateLimits: [NamedLimitChargeInput!]) {
  verifyApiKey(key: $key, requiredScopes: $requiredScopes, ip: $ip, cost: $cost, rateLimits: $rateLimits) { code }
}`;

/*
 * What a verification asks besides the key is checked once, for GraphQL and
 * REST alike, and a malformed option is the caller's mistake (a 4xx naming
 * it as that caller wrote it), never a verdict about the key.
 */
describe('verification options: required scopes, the caller ip, a cost, named limit charges', () => {
  const t = useTestServer();
  let verifier: SeededKey;
  let key: SeededKey;

  beforeAll(async () => {
    verifier = await t.seed.key(t.account.primary.secret, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
    key = await t.seed.key(t.account.primary.secret, { name: 'partner' });
  });

  it.each([
    [
      'a scope that is not resource:action',
      { requiredScopes: ['Invoices'] },
      'requiredScopes',
      { required_scopes: ['Invoices'] },
      'required_scopes',
    ],
    ['scopes that are not a list of names', { requiredScopes: [] }, null, { required_scopes: 'invoices:read' }, 'required_scopes'],
    ['an ip that is not an address', { ip: '10.0.0.300' }, 'ip', { ip: 'localhost' }, 'ip'],
    ['a negative cost', { cost: -1 }, 'cost', { cost: -1 }, 'cost'],
    ['a fractional cost', { cost: 1 }, null, { cost: 1.5 }, 'cost'],
    ['a cost beyond a million', { cost: 1_000_001 }, 'cost', { cost: 1_000_001 }, 'cost'],
    [
      'a limit named twice',
      { rateLimits: [{ name: 'search' }, { name: 'search', cost: 2 }] },
      'rateLimits[1].name',
      { rate_limits: [{ name: 'search' }, { name: 'search' }] },
      'rate_limits[1].name',
    ],
    [
      'a limit charge with a stray field',
      { rateLimits: [] },
      null,
      { rate_limits: [{ name: 'search', points: 2 }] },
      'rate_limits[0].points',
    ],
  ])('refuses %s, naming the field as each API spells it', async (_case, options, graphqlField, body, restField) => {
    if (graphqlField !== null) {
      const res = await graphql(t.url, { as: verifier.secret, query: VERIFY_WITH, variables: { key: key.secret, ...options } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: graphqlField });
    }
    const res = await verifyByRest(t, verifier.secret, { key: key.secret, ...body });
    expect([res.status, res.body.error]).toEqual([422, expect.objectContaining({ code: 'BAD_USER_INPUT', field: restField })]);
  });

  it('takes well-formed options through both APIs; a key without scopes, limits or credits is judged as before', async () => {
    const res = await graphql(t.url, {
      as: verifier.secret,
      query: VERIFY_WITH,
      variables: { key: key.secret, ip: '2001:db8::1', cost: 0, rateLimits: null, requiredScopes: null },
    });
    expect(res.data?.verifyApiKey).toEqual({ code: 'VALID' });
    const rest = await verifyByRest(t, verifier.secret, { key: key.secret, ip: ' 203.0.113.7 ', cost: 3 });
    expect([rest.status, rest.body.data.code]).toEqual([200, 'VALID']);
  });
});
