import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { SeededKey } from '../support/seed';
import { clientKeyRoutes, PATH } from './client-api-key.fixtures';
import { okData, rest, UNAUTHORIZED } from './rest-client';

/** GET, DELETE and PUT reset on a client's keys, the credentials the routes take, and the 404 of a route that is not there. */
describe('REST: /api/v1/client/api-key', () => {
  const t = useTestServer();
  const { create, list, viewer } = clientKeyRoutes(t);
  let admin: string;
  let acme: { id: string; name: string };
  let globex: { id: string; name: string };

  beforeAll(async () => {
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
    globex = await t.seed.client(admin, 'Globex');
  });

  describe('GET lists client keys', () => {
    let zap: any;
    let clay: any;
    let quiet: any;

    beforeAll(async () => {
      zap = okData(await create(admin, { clientId: globex.id, keyName: 'Zapier Prod' }));
      clay = okData(await create(admin, { clientId: globex.id, keyName: 'clay' }));
      quiet = okData(await create(admin, { clientId: globex.id, keyName: 'zapier-old' }));
      await t.call(admin, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: quiet.id });
    });

    it('lists client keys only, newest first, with the prefix and never the raw key or hash', async () => {
      const res = await list(admin, { clientId: globex.id });
      const data = okData(res);
      expect(data.map((k: any) => k.id)).toEqual([quiet.id, clay.id, zap.id]);
      const { api_key: _secret, ...shown } = zap;
      expect(data[2]).toEqual(shown);
      expect(res.body).toMatchObject({ has_more: false, next_cursor: null });
      expect(JSON.stringify(res.body)).not.toMatch(/api_key|hash|cl_[0-9A-Za-z]{8}_/);
      const everything = okData(await list(admin, { limit: '100' }));
      expect(everything.every((k: any) => k.client_id !== null && k.prefix.startsWith('cl_'))).toBe(true);
      expect(everything.map((k: any) => k.prefix)).not.toContain(t.account.primary.prefix);
    });

    it('filters by status, and by keyName partially and case-insensitively', async () => {
      const ids = async (query: Record<string, string>) =>
        okData(await list(admin, { clientId: globex.id, ...query })).map((k: any) => k.id);
      expect(await ids({ status: 'inactive' })).toEqual([quiet.id]);
      expect(await ids({ status: 'active' })).toEqual([clay.id, zap.id]);
      expect(await ids({ keyName: 'ZAPIER' })).toEqual([quiet.id, zap.id]);
      expect(await ids({ keyName: 'zapier', status: 'active' })).toEqual([zap.id]);
      expect(await ids({ keyName: '%' })).toEqual([]);
    });

    it('pages with limit and next_cursor', async () => {
      const first = await list(admin, { clientId: globex.id, limit: '2' });
      expect(okData(first).map((k: any) => k.id)).toEqual([quiet.id, clay.id]);
      expect(first.body.has_more).toBe(true);
      const second = await list(admin, { clientId: globex.id, limit: '2', after: first.body.next_cursor });
      expect(okData(second).map((k: any) => k.id)).toEqual([zap.id]);
      expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    });

    it.each([
      [{ status: 'revoked' }, 'status', 'status must be one of active, inactive, expired'],
      [{ limit: 'ten' }, 'limit', 'limit must be an integer'],
      [{ limit: '101' }, 'limit', 'limit must be an integer from 0 to 100'],
      [{ keyName: 'x'.repeat(101) }, 'keyName', 'keyName must be shorter than or equal to 100 characters'],
      [{ after: 'not-a-cursor' }, 'after', 'after is not a cursor from this list'],
    ])('refuses %j with 422', async (query, field, message) => {
      const res = await list(admin, query);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_USER_INPUT', message, field } });
    });

    it('refuses a repeated filter with 422', async () => {
      const res = await rest(t.url, { method: 'GET', path: `${PATH}?status=active&status=inactive`, as: admin });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    });
  });

  describe('DELETE removes a client key', () => {
    it('answers 200 with the id; the key stops working and a second delete is 404', async () => {
      const key = okData(await create(admin, { clientId: acme.id, keyName: 'short lived' }));
      const res = await rest(t.url, { method: 'DELETE', path: `${PATH}/${key.id}`, as: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, data: { id: key.id, deleted: true } });
      expect((await viewer(key.api_key)).status).toBe(401);
      const again = await rest(t.url, { method: 'DELETE', path: `${PATH}/${key.id}`, as: admin });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `Client API key ${key.id} not found` } });
    });
  });

  describe('PUT reset rotates a client key', () => {
    let key: SeededKey;
    beforeEach(async () => {
      key = await t.seed.key(admin, { clientId: acme.id, name: 'rotating', permissions: ['LEADS_READ'] });
    });
    const reset = (id: string, body?: unknown) => rest(t.url, { method: 'PUT', path: `${PATH}/reset/${id}`, as: admin, body });

    it('answers 200 with the same key under a new value and prefix; the old value stops at once', async () => {
      const data = okData(await reset(key.id));
      expect(data).toMatchObject({
        id: Number(key.id),
        client_id: Number(acme.id),
        key_name: 'rotating',
        status: 'active',
        permissions: ['leads:read'],
      });
      expect(data.api_key).toMatch(/^cl_/);
      expect(data.api_key.startsWith(`${data.prefix}_`)).toBe(true);
      expect(data.prefix).not.toBe(key.prefix);
      expect(Date.parse(data.previous_key_expires_at)).toBeLessThanOrEqual(Date.now());
      expect((await viewer(key.secret)).status).toBe(401);
      expect(dataOf(await viewer(data.api_key)).viewer.prefix).toBe(data.prefix);
    });

    it('keeps the old value working through gracePeriodSeconds', async () => {
      const data = okData(await reset(key.id, { gracePeriodSeconds: 3600 }));
      expect(Date.parse(data.previous_key_expires_at)).toBeGreaterThan(Date.now() + 3_500_000);
      expect(dataOf(await viewer(key.secret)).viewer.prefix).toBe(data.prefix);
      expect(dataOf(await viewer(data.api_key)).viewer.prefix).toBe(data.prefix);
    });

    it.each([
      [{ gracePeriodSeconds: 'an hour' }, 'gracePeriodSeconds must be an integer'],
      [{ gracePeriodSeconds: 1.5 }, 'gracePeriodSeconds must be an integer'],
      [{ gracePeriodSeconds: 604801 }, 'gracePeriodSeconds must be an integer from 0 to 604800 (7 days)'],
    ])('refuses %j with 422', async (body, message) => {
      const res = await reset(key.id, body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_USER_INPUT', message, field: 'gracePeriodSeconds' } });
      expect(dataOf(await viewer(key.secret)).viewer.prefix).toBe(key.prefix);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const res = await rest(t.url, { method: 'PUT', path: `${PATH}/reset/${key.id}`, as: admin, raw: 'nope' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON' } });
    });
  });

  describe('credentials, exactly as GraphQL takes them', () => {
    it.each(['bearer', 'x-api-key', 'query', 'body'] as const)('accepts the key via %s', async (via) => {
      const res = await create(admin, { clientId: acme.id, keyName: `via ${via}` }, via);
      expect(okData(res).key_name).toBe(`via ${via}`);
    });

    it('accepts the api_key query parameter on GET, DELETE and PUT', async () => {
      const key = await t.seed.key(admin, { clientId: acme.id, name: 'query target' });
      const q = (method: 'GET' | 'DELETE' | 'PUT', path: string) => rest(t.url, { method, path, as: admin, via: 'query' });
      expect(okData(await q('GET', PATH)).map((k: any) => k.id)).toContain(Number(key.id));
      expect(okData(await q('PUT', `${PATH}/reset/${key.id}`)).id).toBe(Number(key.id));
      expect(okData(await q('DELETE', `${PATH}/${key.id}`))).toEqual({ id: Number(key.id), deleted: true });
    });

    it('answers 401 with the fixed body when there is no credential, and says why in WWW-Authenticate when one fails', async () => {
      const anonymous = await rest(t.url, { method: 'GET', path: PATH });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual(UNAUTHORIZED);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      const typo = await rest(t.url, {
        method: 'GET',
        path: PATH,
        as: `${admin.slice(0, -1)}${admin.endsWith('A') ? 'B' : 'A'}`,
        via: 'query',
      });
      expect(typo.status).toBe(401);
      expect(typo.body).toEqual(UNAUTHORIZED);
      expect(typo.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description=".+"$/);
      expect(typo.headers.get('www-authenticate')).not.toContain(admin.slice(12));
    });
  });

  it('answers an unknown route under the prefix with a JSON 404', async () => {
    const res = await rest(t.url, { method: 'PATCH', path: `${PATH}/7`, as: admin });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `No route PATCH ${PATH}/7` } });
  });
});
