import { useTestServer } from '../support/harness';
import { okData, rest, RestRequest } from './rest-client';

const PATH = '/api/v1/client/api-key';
const CREATE_TAKES = 'it takes clientId, keyName, permissions, expiresAt, allowed_ips, scopes, remaining, refill, rate_limits';
const LIST_TAKES = 'it takes clientId, status, keyName, limit, after';

/**
 * REST refuses what it would otherwise ignore: a misspelt field that is
 * dropped makes a key without the permissions its caller meant to give, and a
 * malformed filter that matches nothing reads as "no keys".
 */
describe('REST refuses unknown fields and malformed parameters with 422 naming them', () => {
  const t = useTestServer();
  let admin: string;
  let acme: { id: string };

  beforeAll(async () => {
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
  });

  const call = (request: Omit<RestRequest, 'as'>) => rest(t.url, { as: admin, ...request });
  const refusal = (field: string, message: string) => ({ success: false, error: { code: 'BAD_USER_INPUT', message, field } });
  const keyNames = async () => okData(await call({ method: 'GET', path: PATH, query: { clientId: acme.id } })).map((k: any) => k.key_name);

  it('refuses a misspelt body field on create, and makes no key', async () => {
    const res = await call({ method: 'POST', path: PATH, body: { clientId: acme.id, keyName: 'typo', permission: ['leads:read'] } });
    expect([res.status, res.body]).toEqual([422, refusal('permission', `permission is not a field of this request; ${CREATE_TAKES}`)]);
    expect(await keyNames()).not.toContain('typo');
  });

  it("names GraphQL's field as sent, not as the REST field it maps to", async () => {
    const res = await call({ method: 'POST', path: PATH, body: { clientId: acme.id, keyName: 'twice', name: 'twice' } });
    expect([res.status, res.body]).toEqual([422, refusal('name', `name is not a field of this request; ${CREATE_TAKES}`)]);
  });

  it('refuses an unknown field in the reset body and leaves the key as it was', async () => {
    const key = await t.seed.key(admin, { clientId: acme.id, name: 'rotating' });
    const res = await call({ method: 'PUT', path: `${PATH}/reset/${key.id}`, body: { gracePeriod: 3600 } });
    expect([res.status, res.body]).toEqual([
      422,
      refusal('gracePeriod', 'gracePeriod is not a field of this request; it takes gracePeriodSeconds'),
    ]);
    const list = okData(await call({ method: 'GET', path: PATH, query: { clientId: acme.id } }));
    expect(list.find((k: any) => k.key_name === 'rotating').prefix).toBe(key.prefix);
  });

  it('refuses any body field on delete, which takes none, and keeps the key', async () => {
    const key = await t.seed.key(admin, { clientId: acme.id, name: 'kept' });
    const res = await call({ method: 'DELETE', path: `${PATH}/${key.id}`, body: { force: true } });
    expect([res.status, res.body]).toEqual([422, refusal('force', 'force is not a field of this request; it takes none')]);
    expect(await keyNames()).toContain('kept');
  });

  it('refuses an unknown field in a verification body', async () => {
    const gateway = await t.seed.key(admin, { permissions: ['KEYS_VERIFY'] });
    const res = await rest(t.url, { method: 'POST', path: '/v1/keys/verify', as: gateway.secret, body: { key: admin, apiKey: 'x' } });
    expect([res.status, res.body]).toEqual([
      422,
      refusal('apiKey', 'apiKey is not a field of this request; it takes key, required_scopes, ip, cost, rate_limits'),
    ]);
  });

  it('still takes the api_key credential in the body and the query of every route', async () => {
    const viaBody = await rest(t.url, {
      method: 'POST',
      path: PATH,
      as: admin,
      via: 'body',
      body: { clientId: acme.id, keyName: 'by body' },
    });
    expect(okData(viaBody).key_name).toBe('by body');
    const viaQuery = await rest(t.url, { method: 'GET', path: PATH, as: admin, via: 'query', query: { clientId: acme.id } });
    expect(okData(viaQuery).map((k: any) => k.key_name)).toContain('by body');
  });

  it.each([
    [{ client_id: '1' }, 'client_id', `client_id is not a query parameter of this route; ${LIST_TAKES}`],
    [{ clientId: 'abc' }, 'clientId', 'clientId must be an id: a positive integer such as 301'],
    [{ clientId: '-1' }, 'clientId', 'clientId must be an id: a positive integer such as 301'],
  ])('refuses the list query %j', async (query, field, message) => {
    const res = await call({ method: 'GET', path: PATH, query });
    expect([res.status, res.body]).toEqual([422, refusal(field, message)]);
  });

  it('refuses a query parameter on a route that takes none', async () => {
    const key = await t.seed.key(admin, { clientId: acme.id, name: 'queried' });
    const res = await call({ method: 'DELETE', path: `${PATH}/${key.id}`, query: { dryRun: 'true' } });
    expect([res.status, res.body]).toEqual([422, refusal('dryRun', 'dryRun is not a query parameter of this route; it takes none')]);
    expect(await keyNames()).toContain('queried');
  });

  it.each([['abc'], [0], [1.5], ['']])('refuses the body clientId %j as not an id', async (clientId) => {
    const res = await call({ method: 'POST', path: PATH, body: { clientId, keyName: 'nowhere' } });
    expect([res.status, res.body]).toEqual([422, refusal('clientId', 'clientId must be an id: a positive integer such as 301')]);
  });

  it('answers an id that is well formed but matches nothing with 404, as before', async () => {
    const res = await call({ method: 'POST', path: PATH, body: { clientId: '999999', keyName: 'nowhere' } });
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it.each([
    ['LEADS_READ', 'leads:read'],
    ['leads_read', 'leads:read'],
    ['Keys:Write', 'keys:write'],
  ])('suggests the REST spelling of a permission written %j', async (written, meant) => {
    const res = await call({ method: 'POST', path: PATH, body: { clientId: acme.id, keyName: 'hinted', permissions: [written] } });
    expect([res.status, res.body]).toEqual([
      422,
      refusal('permissions', `permissions holds "${written}", which is not a permission; did you mean "${meant}"?`),
    ]);
  });
});
