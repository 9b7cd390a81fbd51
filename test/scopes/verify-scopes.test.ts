import { graphql } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { okData, rest } from '../rest/rest-client';
import { verifyByRest } from '../verify/verify.fixtures';
import { defineScopes, keyHolding, UPDATE_KEY, VERIFY_SCOPES } from './scopes.fixtures';

/*
 * A verification names the scopes the request needs (requiredScopes); a key
 * lacking one answers INSUFFICIENT_SCOPE, with the details and nothing
 * charged. Every answer with details carries the key's scopes.
 */
describe('verification with requiredScopes: INSUFFICIENT_SCOPE or VALID, with the key’s scopes', () => {
  const t = useTestServer();
  let verifier: SeededKey;

  beforeAll(async () => {
    await defineScopes(t, 'client:invoices:read', 'invoices:write', 'reports:*', 'client:reports:read');
    verifier = await t.seed.key(t.account.primary.secret, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
  });

  const verify = async (key: string, requiredScopes?: string[] | null) => {
    const res = await graphql(t.url, { as: verifier.secret, query: VERIFY_SCOPES, variables: { key, requiredScopes } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.verifyApiKey;
  };

  it('answers VALID with the scopes when the key holds every required one, through GraphQL', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:write', 'invoices:read']);
    for (const required of [['invoices:read'], ['invoices:read', 'invoices:write'], [], null, undefined]) {
      expect([required, await verify(key.secret, required)]).toEqual([
        required,
        { valid: true, code: 'VALID', prefix: key.prefix, scopes: ['invoices:read', 'invoices:write'], rateLimit: expect.anything() },
      ]);
    }
  });

  it('answers INSUFFICIENT_SCOPE with the details when one is missing, and charges nothing', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    const first = (await verify(key.secret, ['invoices:read'])).rateLimit.remaining;
    for (const required of [['invoices:write'], ['invoices:read', 'invoices:write'], ['reports:read']]) {
      expect(await verify(key.secret, required)).toEqual({
        valid: false,
        code: 'INSUFFICIENT_SCOPE',
        prefix: key.prefix,
        scopes: ['invoices:read'],
        rateLimit: { remaining: first },
      });
    }
    expect((await verify(key.secret, ['invoices:read'])).rateLimit.remaining).toBe(first - 1);
  });

  it('gives a key without scopes an empty list, and INSUFFICIENT_SCOPE for any required one', async () => {
    const key = await keyHolding(t, t.account.primary.secret, []);
    expect(await verify(key.secret)).toMatchObject({ code: 'VALID', scopes: [] });
    expect(await verify(key.secret, ['invoices:read'])).toMatchObject({ code: 'INSUFFICIENT_SCOPE', scopes: [] });
  });

  it('lets resource:* satisfy any action of its resource, but not the wildcard a narrower key lacks', async () => {
    const wide = await keyHolding(t, t.account.primary.secret, ['reports:*']);
    expect((await verify(wide.secret, ['reports:read', 'reports:export', 'reports:*'])).code).toBe('VALID');
    expect((await verify(wide.secret, ['invoices:read'])).code).toBe('INSUFFICIENT_SCOPE');
    const narrow = await keyHolding(t, t.account.primary.secret, ['reports:read']);
    expect((await verify(narrow.secret, ['reports:*'])).code).toBe('INSUFFICIENT_SCOPE');
  });

  it('sees an updateApiKey change of the scopes at the next verification', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    expect((await verify(key.secret, ['invoices:write'])).code).toBe('INSUFFICIENT_SCOPE');
    await t.data(t.account.primary.secret, UPDATE_KEY, { id: key.id, input: { scopes: ['invoices:write'] } });
    expect(await verify(key.secret, ['invoices:write'])).toMatchObject({ code: 'VALID', scopes: ['invoices:write'] });
    expect((await verify(key.secret, ['invoices:read'])).code).toBe('INSUFFICIENT_SCOPE');
  });

  it('leaves scopes null when a verification has no details', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    await t.data(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: key.id });
    expect(await verify(key.secret, ['invoices:read'])).toMatchObject({ code: 'REVOKED', prefix: null, scopes: null });
  });

  it('gives the same answers through POST /v1/keys/verify, with scopes in the answer', async () => {
    const key = await keyHolding(t, t.account.primary.secret, ['invoices:read']);
    const missing = await verifyByRest(t, verifier.secret, { key: key.secret, required_scopes: ['invoices:write'] });
    expect(missing.status).toBe(200);
    expect(missing.body.data).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE', prefix: key.prefix, scopes: ['invoices:read'] });
    const held = await verifyByRest(t, verifier.secret, { key: key.secret, required_scopes: ['invoices:read'] });
    expect(held.body.data).toMatchObject({ valid: true, code: 'VALID', scopes: ['invoices:read'] });
    expect(held.body.data.rate_limit.remaining).toBe(missing.body.data.rate_limit.remaining - 1);
  });

  it('takes and returns scopes on the REST client-key routes', async () => {
    const client = await t.seed.client(t.account.primary.secret);
    const created = await rest(t.url, {
      method: 'POST',
      path: '/api/v1/client/api-key',
      as: t.account.primary.secret,
      body: { clientId: client.id, keyName: 'scoped-rest', scopes: ['reports:read', 'invoices:read'] },
    });
    const data = okData(created);
    expect(data.scopes).toEqual(['invoices:read', 'reports:read']);
    const listed = okData(
      await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: t.account.primary.secret, query: { clientId: client.id } }),
    );
    expect(listed.find((k: { id: number }) => k.id === data.id).scopes).toEqual(['invoices:read', 'reports:read']);
    const verified = await verifyByRest(t, verifier.secret, { key: data.api_key, required_scopes: ['reports:read'] });
    expect(verified.body.data).toMatchObject({ code: 'VALID', kind: 'client', scopes: ['invoices:read', 'reports:read'] });

    for (const [scopes, text] of [
      [['invoices:write'], 'invoices:write'],
      [['ledger:close'], 'ledger:close'],
      ['invoices:read', 'list'],
    ] as const) {
      const refused = await rest(t.url, {
        method: 'POST',
        path: '/api/v1/client/api-key',
        as: t.account.primary.secret,
        body: { clientId: client.id, keyName: 'refused', scopes },
      });
      expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([422, 'BAD_USER_INPUT', 'scopes']);
      expect(refused.body.error.message).toContain(text);
    }
  });
});
