import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { codeOf, dataOf, graphql, GraphQLResponse, expectDenied } from '../support/graphql';
import { SeededAccount, PERMISSION_NAMES } from '../support/seed';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET, unsignedToken, userToken } from '../support/user-tokens';

const VIEWER = '{ viewer { principal subject prefix permissions account { id } apiKey { id } } }';
const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix } } }';
const LIST = '{ apiKeys { totalCount edges { node { id prefix } } } }';

/** A 401 from the authentication middleware: nothing ran. Returns the message. */
function expectRefused(res: GraphQLResponse): string {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  expect(res.data).toBeUndefined();
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  return res.errors![0].message;
}

describe('dashboard users with HS256 tokens', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
  let other: SeededAccount;

  beforeAll(async () => {
    other = await t.seed.account();
  });

  const developer = () => userToken({ sub: 'alice', account_id: t.account.id, roles: ['developer'] });

  it('authenticates a good token as a USER of its account, named by its subject', async () => {
    const res = await t.call(await developer(), VIEWER);
    expect(dataOf(res).viewer).toEqual({
      principal: 'USER',
      subject: 'alice',
      prefix: null,
      permissions: PERMISSION_NAMES,
      account: { id: t.account.id },
      apiKey: null,
    });
  });

  it.each([['admin'], ['owner']])('treats role %s as the Developer permission too', async (role) => {
    const token = await userToken({ sub: `u-${role}`, account_id: t.account.id, roles: [role, 'billing'] });
    expect((await t.data(token, LIST)).apiKeys.totalCount).toBeGreaterThan(0);
  });

  it('lets a user without the Developer permission read viewer and nothing of the keys', async () => {
    const token = await userToken({ sub: 'bob', account_id: t.account.id, roles: ['billing'] });
    expect((await t.data(token, VIEWER)).viewer).toMatchObject({
      principal: 'USER',
      subject: 'bob',
      permissions: [],
    });
    const noRoles = await userToken({ sub: 'carol', account_id: t.account.id });
    for (const as of [token, noRoles]) {
      const list = await t.call(as, LIST);
      expect(list.status).toBe(200);
      expectDenied(list, 'FORBIDDEN', 'apiKeys');
      const create = await t.call(as, CREATE, { input: { name: 'nope', permissions: [] } });
      expectDenied(create, 'FORBIDDEN', 'createApiKey');
      const audit = await t.call(as, '{ auditEvents { totalCount } }');
      expect(codeOf(audit)).toBe('FORBIDDEN');
    }
  });

  it('lets a developer manage keys, and the audit log and revoked record name it user:<sub>', async () => {
    const as = await developer();
    const created = dataOf(await t.call(as, CREATE, { input: { name: 'Zapier', permissions: ['LEADS_READ'] } })).createApiKey;
    const works = await t.call(created.secret, '{ viewer { principal permissions } }');
    expect(dataOf(works).viewer).toEqual({ principal: 'ADMIN_KEY', permissions: ['LEADS_READ'] });

    const revoked = await t.call(as, 'mutation($id: ID!) { revokeApiKey(id: $id, reason: "rotated") { prefix revokedBy } }', {
      id: created.apiKey.id,
    });
    expect(dataOf(revoked).revokeApiKey).toEqual({ prefix: created.apiKey.prefix, revokedBy: 'user:alice' });

    const audit = await t.call(
      as,
      `query($prefix: String!) { auditEvents(filter: { targetPrefix: $prefix }) { edges { node { action actor } } } }`,
      { prefix: created.apiKey.prefix },
    );
    expect(dataOf(audit).auditEvents.edges.map((e: any) => e.node)).toEqual([
      { action: 'API_KEY_REVOKED', actor: 'user:alice' },
      { action: 'API_KEY_CREATED', actor: 'user:alice' },
    ]);
  });

  it("keeps a user inside its own account: another account's key is invisible", async () => {
    const as = await developer();
    const read = await t.call(as, 'query($id: ID!) { apiKey(id: $id) { id } }', { id: other.primary.id });
    expect(dataOf(read).apiKey).toBeNull();
    const rename = await t.call(as, 'mutation($id: ID!) { renameApiKey(id: $id, name: "mine now") { id } }', { id: other.primary.id });
    expectDenied(rename, 'NOT_FOUND', 'renameApiKey');
    expect(JSON.stringify(rename)).not.toContain(other.primary.prefix);
  });

  it('accepts a token from any credential source, like a key', async () => {
    const as = await developer();
    for (const via of ['x-api-key', 'query', 'body'] as const) {
      expect(dataOf(await graphql(t.url, { as, via, query: VIEWER })).viewer.subject).toBe('alice');
    }
  });

  it('allows a few seconds of clock skew past exp, and not more', async () => {
    const skewed = await userToken({ sub: 'alice', account_id: t.account.id }, { expiresIn: -5 });
    expect((await t.data(skewed, VIEWER)).viewer.principal).toBe('USER');
    const expired = await userToken({ sub: 'alice', account_id: t.account.id }, { expiresIn: -120 });
    expect(expectRefused(await t.call(expired, VIEWER))).toMatch(/expired/);
  });

  it.each([
    ['a token signed with another secret', () => userToken({ sub: 'a', account_id: '1' }, { secret: 'x'.repeat(40) }), /signature/],
    ['a token without exp', () => userToken({ sub: 'a', account_id: '1' }, { expiresIn: null }), /exp/],
    ['a token without sub', () => userToken({ account_id: '1' }), /sub/],
    ['a token without account_id', () => userToken({ sub: 'a' }), /account_id/],
    ['a token whose account does not exist', () => userToken({ sub: 'a', account_id: '999999' }), /account 999999 does not exist/],
    ['a token whose account_id is not an id', () => userToken({ sub: 'a', account_id: "1' OR '1'='1" }), /account_id/],
    ['a token whose roles are not strings', () => userToken({ sub: 'a', account_id: '1', roles: [{ developer: true }] }), /roles/],
    ['a token whose sub is too long', () => userToken({ sub: 'a'.repeat(191), account_id: '1' }), /sub/],
    ['an unsigned token (alg none)', async () => unsignedToken({ sub: 'a', account_id: '1', roles: ['developer'] }), /algorithm/],
    ['a JWT-shaped string that is not a JWT', async () => 'abc.def.ghi', /not a valid JWT/],
  ])('refuses %s with 401', async (_case, make, message) => {
    expect(expectRefused(await t.call(await make(), VIEWER))).toMatch(message);
  });

  it('refuses a token signed with an algorithm it was not configured for (HS384, RS256)', async () => {
    const claims = { sub: 'alice', account_id: t.account.id, roles: ['developer'] };
    const hs384 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS384' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const { privateKey } = await generateKeyPair('RS256');
    const rs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('1h').sign(privateKey);
    for (const token of [hs384, rs256]) {
      expect(expectRefused(await t.call(token, VIEWER))).toMatch(/algorithm/);
    }
  });

  it('answers a refused token on the REST routes with the REST 401', async () => {
    const res = await fetch(new URL('/api/v1/client/api-key', t.url), {
      headers: { authorization: `Bearer ${await userToken({ sub: 'a', account_id: '999999' })}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });
});

describe('a server with no JWT settings', () => {
  const t = useTestServer();

  it('refuses every JWT with 401, saying JWTs are not accepted here', async () => {
    const token = await userToken({ sub: 'alice', account_id: t.account.id, roles: ['developer'] });
    expect(expectRefused(await t.call(token, VIEWER))).toMatch(/JWTs are not accepted here/);
  });
});

describe('issuer and audience checks', () => {
  const issuer = 'https://id.example.test/';
  const audience = 'keyward';
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, authJwtIssuer: issuer, authJwtAudience: audience });

  it('accepts a token with the configured iss and aud, and refuses one without or with others', async () => {
    const claims = { sub: 'alice', account_id: t.account.id };
    const good = await userToken(claims, { issuer, audience });
    expect((await t.data(good, VIEWER)).viewer.subject).toBe('alice');
    for (const options of [{}, { issuer, audience: 'another-app' }, { issuer: 'https://evil.test/', audience }]) {
      const res = await t.call(await userToken(claims, options), VIEWER);
      expect(expectRefused(res)).toMatch(/(iss|aud) claim/);
    }
  });
});

describe('dashboard users with tokens verified through AUTH_JWKS_URL', () => {
  let jwks: Server;
  const signers: Record<'RS256' | 'ES256', { privateKey: KeyLike; kid: string }> = {} as never;

  beforeAll(async () => {
    const keys: JWK[] = [];
    for (const alg of ['RS256', 'ES256'] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const kid = `test-${alg}`;
      keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
      signers[alg] = { privateKey, kid };
    }
    // The identity provider's key set, served on loopback only.
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  });
  // Registered after the key set's beforeAll, so the set is listening when the server starts and asks for its address.
  const t = useTestServer(() => ({ authJwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json` }));
  // And after the server's afterAll: the key set outlives the server that reads it.
  afterAll(() => new Promise((resolve) => jwks.close(resolve)));

  const sign = (alg: 'RS256' | 'ES256', privateKey: KeyLike, kid: string, claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setExpirationTime('10m').sign(privateKey);

  it.each([['RS256' as const], ['ES256' as const]])('accepts a %s token signed by a key in the set', async (alg) => {
    const { privateKey, kid } = signers[alg];
    const token = await sign(alg, privateKey, kid, { sub: `idp|${alg}`, account_id: Number(t.account.id), roles: 'developer' });
    const res = await t.call(token, VIEWER);
    expect(dataOf(res).viewer).toMatchObject({ principal: 'USER', subject: `idp|${alg}`, permissions: PERMISSION_NAMES });
    expect((await t.data(token, LIST)).apiKeys.totalCount).toBe(1);
  });

  it('refuses a token signed by a key outside the set, even under a known kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await sign('ES256', privateKey, signers.ES256.kid, { sub: 'mallory', account_id: t.account.id });
    expect(expectRefused(await t.call(forged, VIEWER))).toMatch(/signature/);
    const unknownKid = await sign('ES256', privateKey, 'not-in-the-set', { sub: 'mallory', account_id: t.account.id });
    expect(expectRefused(await t.call(unknownKid, VIEWER))).toMatch(/No key/);
  });

  it('refuses HS256 (no shared secret is configured) and alg none', async () => {
    const hs256 = await userToken({ sub: 'mallory', account_id: t.account.id, roles: ['developer'] });
    expect(expectRefused(await t.call(hs256, VIEWER))).toMatch(/algorithm/);
    const none = unsignedToken({ sub: 'mallory', account_id: t.account.id, roles: ['developer'] });
    expect(expectRefused(await t.call(none, VIEWER))).toMatch(/algorithm/);
  });
});
