import { createHash } from 'node:crypto';
import { parseKey } from '../../src/api-keys/key-material';
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { clientKeyRoutes, NAME_RULE, PATH } from './client-api-key.fixtures';
import { okData, rest } from './rest-client';

/** POST: a client key for one of the account's clients, its raw value in the answer once, refused by name when the input is wrong. */
describe('REST: /api/v1/client/api-key', () => {
  const t = useTestServer();
  const { create, viewer } = clientKeyRoutes(t);
  let admin: string;
  let acme: { id: string; name: string };

  beforeAll(async () => {
    admin = t.account.primary.secret;
    acme = await t.seed.client(admin, 'Acme');
  });

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
        allowed_ips: [],
        scopes: [],
        remaining: null,
        refill: null,
        last_refill_at: null,
        rate_limits: [],
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
});
