import { REST_ROUTES } from '../../src/rest/rest.router';
import { SeededAccount, SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { okData, rest, RestRequest, UNAUTHORIZED } from './rest-client';

const PATH = '/api/v1/client/api-key';
const VERIFY = '/v1/keys/verify';

interface Targets {
  clientId: string;
  keyId: string;
  /** The target key's value, for the routes that take a key rather than an id. */
  secret?: string;
}

/** A well-formed call of each route against `targets`. A new route without a row here fails the suite. */
const CALLS: Record<string, (t: Targets) => Omit<RestRequest, 'as'>> = {
  [`post ${PATH}`]: (t) => ({ method: 'POST', path: PATH, body: { clientId: t.clientId, keyName: 'matrix' } }),
  [`get ${PATH}`]: (t) => ({ method: 'GET', path: PATH, query: { clientId: t.clientId } }),
  [`delete ${PATH}/:id`]: (t) => ({ method: 'DELETE', path: `${PATH}/${t.keyId}` }),
  [`put ${PATH}/reset/:id`]: (t) => ({ method: 'PUT', path: `${PATH}/reset/${t.keyId}`, body: { gracePeriodSeconds: 0 } }),
  [`get ${PATH}/usage/:id`]: (t) => ({
    method: 'GET',
    path: `${PATH}/usage/${t.keyId}`,
    query: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() },
  }),
  [`post ${VERIFY}`]: (t) => ({ method: 'POST', path: VERIFY, body: { key: t.secret } }),
};
const ROUTES = REST_ROUTES.map((route) => ({
  name: `${route.method} ${route.path}`,
  permission: route.requirement.permission as string,
  operatorToo: route.requirement.operatorToo === true,
}));

describe('REST security: every route, every kind of caller', () => {
  const t = useTestServer();
  let other: SeededAccount;
  let admin: string;
  let acme: { id: string };
  let globex: { id: string };
  let acmeKeyer: SeededKey;

  beforeAll(async () => {
    other = await t.seed.account();
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
    globex = await t.seed.client(admin, 'Globex');
    acmeKeyer = await t.seed.key(admin, { clientId: acme.id, name: 'acme keyer', permissions: ['KEYS_READ', 'KEYS_WRITE'] });
  });

  /**
   * A client key of our account to aim at, by default in a fresh client, so a
   * call that wrongly succeeds disturbs no other row and no client reaches its key limit.
   */
  async function targets(clientId?: string): Promise<Targets> {
    clientId ??= (await t.seed.client(admin)).id;
    const key = await t.seed.key(admin, { clientId, name: 'target' });
    return { clientId, keyId: key.id, secret: key.secret };
  }
  const call = async (route: string, as: string | undefined, aim: Targets, extra: Partial<RestRequest> = {}) =>
    rest(t.url, { ...CALLS[route](aim), as, ...extra });

  it('has a row for every REST route', () => {
    expect(Object.keys(CALLS).sort()).toEqual(ROUTES.map((r) => r.name).sort());
  });

  describe.each(ROUTES)('$name', ({ name, permission, operatorToo }) => {
    it('answers 401 with the fixed body without a credential', async () => {
      const res = await call(name, undefined, await targets());
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });

    it.each([
      ['a mistyped key', (key: string) => ({ as: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` })],
      ['a malformed Authorization header', (key: string) => ({ as: undefined, headers: { authorization: `Basic ${key}` } })],
      ['two different credentials', (key: string) => ({ as: key, headers: { 'x-api-key': t.account.primary.secret } })],
      ['a bad api_key query parameter', (_key: string) => ({ as: 'cl_nope', via: 'query' as const })],
    ])('answers 401 with the fixed body to %s', async (_case, variant) => {
      const res = await call(name, undefined, await targets(), variant(other.primary.secret));
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });

    it('answers 401 to a deleted key and a revoked key', async () => {
      const aim = await targets();
      for (const mutation of ['deleteApiKey(id: $id)', 'revokeApiKey(id: $id) { id }']) {
        const gone = await t.seed.key(admin, { permissions: ['KEYS_READ', 'KEYS_WRITE'] });
        await t.data(admin, `mutation($id: ID!) { ${mutation} }`, { id: gone.id });
        const res = await call(name, gone.secret, aim);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(UNAUTHORIZED);
      }
    });

    it(`answers 403 to a key without ${permission}`, async () => {
      // keys:write includes keys:read, so a key lacking keys:read holds neither.
      const held = permission === 'keys:read' ? ['LEADS_READ'] : ['KEYS_READ', 'LEADS_READ'];
      const narrow = await t.seed.key(admin, { permissions: held });
      const res = await call(name, narrow.secret, await targets());
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ success: false, error: { code: 'FORBIDDEN', message: `This needs the ${permission} permission` } });
    });

    it(
      operatorToo
        ? "answers the platform operator, who verifies every tenant's keys"
        : 'answers 403 to the platform operator, who acts on accounts, not inside one',
      async () => {
        const res = await call(name, t.operatorToken, await targets());
        if (operatorToo) {
          expect(res.status).toBe(200);
          expect(okData(res)).toMatchObject({ valid: true, code: 'VALID' });
          return;
        }
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      },
    );

    it("never reaches another account's objects: 404 (an empty list for the list, NOT_FOUND for a verification)", async () => {
      const res = await call(name, other.primary.secret, await targets());
      if (name === `post ${VERIFY}`) {
        expect(okData(res)).toMatchObject({ valid: false, code: 'NOT_FOUND', prefix: null });
        return;
      }
      if (name === `get ${PATH}`) {
        expect(okData(res)).toEqual([]);
        return;
      }
      expect(res.status).toBe(404);
      expect(res.body.success).toBe(false);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('a client key acts on its own client only', () => {
    it('creates keys for its own client, with or without naming it, and 404s for another client', async () => {
      const implied = okData(await rest(t.url, { method: 'POST', path: PATH, as: acmeKeyer.secret, body: { keyName: 'mine' } }));
      expect(implied.client_id).toBe(Number(acme.id));
      const named = await rest(t.url, {
        method: 'POST',
        path: PATH,
        as: acmeKeyer.secret,
        body: { keyName: 'mine too', clientId: acme.id },
      });
      expect(okData(named).client_id).toBe(Number(acme.id));
      const foreign = await rest(t.url, {
        method: 'POST',
        path: PATH,
        as: acmeKeyer.secret,
        body: { keyName: 'theirs', clientId: globex.id },
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `Client ${globex.id} not found` } });
    });

    it("lists its own client's keys only, whatever the filter says", async () => {
      const theirs = await targets(globex.id);
      const mine = okData(await rest(t.url, { method: 'GET', path: PATH, as: acmeKeyer.secret }));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((k: any) => k.client_id === Number(acme.id))).toBe(true);
      expect(mine.map((k: any) => k.id)).not.toContain(Number(theirs.keyId));
      const filtered = await rest(t.url, { method: 'GET', path: PATH, as: acmeKeyer.secret, query: { clientId: globex.id } });
      expect(okData(filtered)).toEqual([]);
    });

    it.each([`delete ${PATH}/:id`, `put ${PATH}/reset/:id`])("answers 404 to %s on another client's key", async (route) => {
      const theirs = await targets(globex.id);
      const res = await call(route, acmeKeyer.secret, theirs);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `Client API key ${theirs.keyId} not found` } });
    });
  });

  it.each([
    ['an admin key', async () => (await t.seed.key(admin, { name: 'admin key' })).id],
    ['the primary admin key', async () => t.account.primary.id],
    ['an id that does not exist', async () => '999999'],
    ['an id that is not a number', async () => 'abc'],
  ])('answers 404 to DELETE and PUT reset of %s: these routes reach client keys only', async (_case, id) => {
    const keyId = await id();
    for (const route of [`delete ${PATH}/:id`, `put ${PATH}/reset/:id`]) {
      const res = await call(route, admin, { clientId: acme.id, keyId });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `Client API key ${keyId} not found` } });
    }
  });

  it('applies the same grant rules as GraphQL: nobody grants or takes over what it does not hold (403)', async () => {
    const grant = await rest(t.url, {
      method: 'POST',
      path: PATH,
      as: acmeKeyer.secret,
      body: { keyName: 'greedy', permissions: ['leads:delete'] },
    });
    expect(grant.status).toBe(403);
    expect(grant.body).toEqual({
      success: false,
      error: { code: 'FORBIDDEN', message: 'You cannot grant leads:delete: you do not hold it yourself' },
    });
    const stronger = await t.seed.key(admin, { clientId: acme.id, name: 'stronger', permissions: ['LEADS_DELETE'] });
    const takeOver = await call(`put ${PATH}/reset/:id`, acmeKeyer.secret, { clientId: acme.id, keyId: stronger.id });
    expect(takeOver.status).toBe(403);
    expect(takeOver.body.error).toEqual({
      code: 'FORBIDDEN',
      message: `Resetting ${stronger.prefix} would hand you leads:delete, which you do not hold`,
    });
  });

  it('answers 422 LIMIT_EXCEEDED once a client holds 25 keys', async () => {
    const full = await t.seed.client(admin, 'Full');
    for (let i = 0; i < 25; i++) {
      okData(await rest(t.url, { method: 'POST', path: PATH, as: admin, body: { clientId: full.id, keyName: `k${i}` } }));
    }
    const res = await rest(t.url, { method: 'POST', path: PATH, as: admin, body: { clientId: full.id, keyName: 'one more' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      success: false,
      error: {
        code: 'LIMIT_EXCEEDED',
        message: 'This client already has 25 keys (active and inactive); revoke or delete one first',
        limit: 25,
      },
    });
  });
});
