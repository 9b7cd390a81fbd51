import { rest } from '../rest/rest-client';
import { UNAUTHORIZED } from '../rest/rest-client';
import { rateLimitHeaders, setRateLimit } from '../rate-limits/rate-limit.fixtures';
import { SeededAccount, SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { mutate, neverIssuedKey, verification, verifyByRest } from './verify.fixtures';

describe('POST /v1/keys/verify, the REST twin of verifyApiKey', () => {
  const t = useTestServer();
  let other: SeededAccount;
  let verifier: SeededKey;

  beforeAll(async () => {
    other = await t.seed.account();
    verifier = await t.seed.key(t.account.primary.secret, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
  });

  it('answers a working key with its details, in the REST contract’s snake_case, ids as numbers', async () => {
    const client = await t.seed.client(t.account.primary.secret, 'Acme');
    const key = await t.seed.key(t.account.primary.secret, { clientId: client.id, permissions: ['LEADS_READ', 'LEADS_CREATE'] });
    const res = await verifyByRest(t, verifier.secret, { key: key.secret });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      ok: true,
      data: {
        valid: true,
        code: 'VALID',
        prefix: key.prefix,
        kind: 'client',
        account: { id: Number(t.account.id), name: t.account.name },
        client: { id: Number(client.id), name: 'Acme', external_id: null },
        permissions: ['leads:read', 'leads:create'],
        expires_at: null,
        metadata: null,
        scopes: [],
        remaining: null,
        rate_limits: [],
        rate_limit: { limit: 1000, remaining: 999, reset_at: expect.any(String) },
      },
    });
  });

  it('gives the same answer as GraphQL for each outcome, through the same service', async () => {
    const revoked = await t.seed.key(t.account.primary.secret);
    await mutate(t, t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: revoked.id });
    const inactive = await t.seed.key(t.account.primary.secret);
    await mutate(t, t.account.primary.secret, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: inactive.id });
    for (const [key, code] of [
      [neverIssuedKey(), 'NOT_FOUND'],
      ['not a key', 'NOT_FOUND'],
      [revoked.secret, 'REVOKED'],
      [inactive.secret, 'INACTIVE'],
      [other.primary.secret, 'NOT_FOUND'],
    ]) {
      const res = await verifyByRest(t, verifier.secret, { key });
      expect([key, res.status, res.body.data.valid, res.body.data.code]).toEqual([key, 200, false, code]);
      expect(res.body.data.prefix).toBeNull();
      expect((await verification(t, verifier.secret, key)).code).toBe(code);
    }
    const operator = await verifyByRest(t, t.operatorToken, { key: other.primary.secret });
    expect(operator.body.data).toMatchObject({ valid: true, code: 'VALID', kind: 'admin' });
  });

  it('counts against the verified key’s pool and reports the caller’s own, uncharged', async () => {
    const tenant = await t.seed.account();
    await setRateLimit(t, tenant.id, 2);
    const gateway = await t.seed.key(tenant.primary.secret, { permissions: ['KEYS_VERIFY'] });
    // Making the gateway key cost the admin pool one point, and the gateway draws from that pool too.
    const verdicts = [];
    for (let i = 0; i < 2; i++) {
      const res = await verifyByRest(t, gateway.secret, { key: tenant.primary.secret });
      expect(rateLimitHeaders(res.headers)).toMatchObject({ limit: 2, retryAfter: null });
      verdicts.push(res.body.data.code);
    }
    expect(verdicts).toEqual(['VALID', 'RATE_LIMITED']);
  });

  it('refuses like the other REST routes: 401 fixed body, 403, 422, 400, 405', async () => {
    const plain = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
    const noCredential = await verifyByRest(t, undefined, { key: t.account.primary.secret });
    expect([noCredential.status, noCredential.body]).toEqual([401, UNAUTHORIZED]);
    const badCredential = await verifyByRest(t, neverIssuedKey(), { key: t.account.primary.secret });
    expect([badCredential.status, badCredential.body]).toEqual([401, UNAUTHORIZED]);
    const forbidden = await verifyByRest(t, plain.secret, { key: t.account.primary.secret });
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'FORBIDDEN']);
    for (const body of [{}, { key: 42 }, { key: '   ' }]) {
      const res = await verifyByRest(t, verifier.secret, body);
      expect([res.status, res.body.error]).toEqual([422, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'key' })]);
    }
    const notJson = await rest(t.url, { method: 'POST', path: '/v1/keys/verify', as: verifier.secret, raw: '{"key":' });
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const notObject = await verifyByRest(t, verifier.secret, ['sk_x']);
    expect([notObject.status, notObject.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const get = await rest(t.url, { method: 'GET', path: '/v1/keys/verify', as: verifier.secret });
    expect([get.status, get.headers.get('allow'), get.body.error.code]).toEqual([405, 'POST', 'METHOD_NOT_ALLOWED']);
  });

  it('takes the credential from any position, the key to verify only from "key"', async () => {
    for (const via of ['bearer', 'x-api-key', 'query', 'body'] as const) {
      const res = await rest(t.url, {
        method: 'POST',
        path: '/v1/keys/verify',
        as: verifier.secret,
        via,
        body: { key: other.primary.secret },
      });
      expect([via, res.status, res.body.data.code]).toEqual([via, 200, 'NOT_FOUND']);
    }
  });
});
