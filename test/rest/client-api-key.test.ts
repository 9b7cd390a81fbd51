import { createHash } from 'node:crypto';
import { parseKey } from '../../src/api-keys/key-material';
import { dataOf } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { okData, rest, UNAUTHORIZED } from './rest-client';

const PATH = '/api/v1/client/api-key';
const NAME_RULE = 'Client key names may contain only letters, digits, spaces, hyphens and underscores';

describe('REST: /api/v1/client/api-key', () => {
  const t = useTestServer();
  let admin: string;
  let acme: { id: string; name: string };
  let globex: { id: string; name: string };

  beforeAll(async () => {
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
    globex = await t.seed.client(admin, 'Globex');
  });

  const create = (as: string, body: unknown, via?: 'bearer' | 'body' | 'x-api-key' | 'query') =>
    rest(t.url, { method: 'POST', path: PATH, as, via, body });
  const list = (as: string, query: Record<string, string> = {}) => rest(t.url, { method: 'GET', path: PATH, as, query });
  const viewer = async (key: string) => t.call(key, '{ viewer { prefix } }');

  describe('POST creates a client key', () => {
    it('answers 200 with the raw key once, in the contract shape, ids as numbers, and stores only its hash', async () => {
      const res = await create(admin, { clientId: acme.id, keyName: '  zapier-sync_1 ', permissions: ['leads:read'] });
      const data = okData(res);
      expect(data).toEqual({
        id: expect.any(Number),
        client_id: Number(acme.id),
        key_name: 'zapier-sync_1',
        api_key: expect.stringMatching(/^cl_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$/),
        prefix: expect.stringMatching(/^cl_[0-9A-Za-z]{8}$/),
        status: 'active',
        permissions: ['leads:read'],
        expires_at: null,
        last_used_at: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(parseKey(data.api_key)).toMatchObject({ ok: true, prefix: data.prefix });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const [row] = await t.server.dataSource.query('SELECT key_hash FROM api_keys WHERE id = ?', [Number(data.id)]);
      expect(row.key_hash).toBe(createHash('sha256').update(data.api_key).digest('hex'));
      expect(JSON.stringify(res.body)).not.toContain(row.key_hash);
      expect(dataOf(await viewer(data.api_key)).viewer.prefix).toBe(data.prefix);
    });

    it('goes through the same service as GraphQL: the audit log has the creation by the REST caller', async () => {
      const data = okData(await create(admin, { clientId: Number(acme.id), keyName: 'audited' }));
      const res = await t.call(
        admin,
        `query($prefix: String) { auditEvents(filter: { targetPrefix: $prefix }) { edges { node { action actor } } } }`,
        { prefix: data.prefix },
      );
      expect(dataOf(res).auditEvents.edges.map((e: any) => e.node)).toEqual([
        { action: 'API_KEY_CREATED', actor: t.account.primary.prefix },
      ]);
    });

    it('takes an expiry and reports it', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const data = okData(await create(admin, { clientId: acme.id, keyName: 'day pass', expiresAt }));
      expect(data.expires_at).toBe(expiresAt);
    });

    it('refuses a name the GraphQL API refuses, with the same words, naming keyName (422)', async () => {
      const res = await create(admin, { clientId: acme.id, keyName: 'bad!name' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_USER_INPUT', message: NAME_RULE, field: 'keyName' } });
      const twin = await t.call(admin, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
        input: { name: 'bad!name', clientId: acme.id },
      });
      expect(twin.errors?.[0]).toMatchObject({ message: NAME_RULE, extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
    });

    it.each([
      ['an empty keyName', { keyName: '   ' }, 'keyName', 'keyName must not be empty'],
      ['a missing keyName', {}, 'keyName', 'keyName must be a string'],
      ['a keyName that is not a string', { keyName: 7 }, 'keyName', 'keyName must be a string'],
      ['a keyName over 100 characters', { keyName: 'x'.repeat(101) }, 'keyName', 'keyName must be at most 100 characters'],
      [
        'an unknown permission',
        { keyName: 'ok', permissions: ['leads:fly'] },
        'permissions',
        'permissions holds "leads:fly", which is not a permission',
      ],
      [
        'permissions that are not a list',
        { keyName: 'ok', permissions: 'leads:read' },
        'permissions',
        'permissions must be an array such as ["leads:read"]',
      ],
      [
        'a permission client keys cannot hold',
        { keyName: 'ok', permissions: ['clients:read'] },
        'permissions',
        'Client keys cannot hold clients:read',
      ],
      ['an expiry that is not a date', { keyName: 'ok', expiresAt: 'soon' }, 'expiresAt', 'expiresAt must be an ISO 8601 date-time'],
      ['an expiry in the past', { keyName: 'ok', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt', 'expiresAt must be in the future'],
      [
        'a clientId that is not an id',
        { keyName: 'ok', clientId: { id: 1 } },
        'clientId',
        'clientId must be an id: a positive integer such as 301',
      ],
    ])('refuses %s with 422 naming the field', async (_case, body, field, message) => {
      const res = await create(admin, { clientId: acme.id, ...body });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_USER_INPUT', message, field } });
    });

    it('needs a clientId from an admin credential: this route makes client keys only (422)', async () => {
      const res = await create(admin, { keyName: 'no client' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        success: false,
        error: { code: 'BAD_USER_INPUT', message: 'clientId is required: this route creates client keys', field: 'clientId' },
      });
    });

    it.each([
      ['invalid JSON', '{"keyName": ', 'The request body is not valid JSON'],
      ['a JSON array', '[{"keyName": "x"}]', 'The request body must be a JSON object'],
      ['a JSON string', '"x"', 'The request body must be a JSON object'],
      ['JSON null', 'null', 'The request body must be a JSON object'],
    ])('answers 400 to %s', async (_case, raw, message) => {
      const res = await rest(t.url, { method: 'POST', path: PATH, as: admin, raw });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, error: { code: 'BAD_REQUEST', message } });
    });

    it('answers 400 to a body that is not sent as JSON', async () => {
      const res = await rest(t.url, {
        method: 'POST',
        path: PATH,
        as: admin,
        raw: 'keyName=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        success: false,
        error: { code: 'BAD_REQUEST', message: 'Send a JSON object with Content-Type: application/json' },
      });
    });
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
