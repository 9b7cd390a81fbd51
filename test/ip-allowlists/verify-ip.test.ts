import { graphql } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { verifyByRest } from '../verify/verify.fixtures';
import { keyAllowing, VERIFY_FROM } from './ip-allowlists.fixtures';

/*
 * A verification says where the key's own caller came from (`ip`); a key
 * with allowedIps answers IP_NOT_ALLOWED for any other address — with the
 * details, and nothing charged — and for no address at all (fail closed).
 */
describe('verification with the caller ip: IP_NOT_ALLOWED or VALID', () => {
  const t = useTestServer();
  let verifier: SeededKey;

  beforeAll(async () => {
    verifier = await t.seed.key(t.account.primary.secret, { name: 'gateway', permissions: ['KEYS_VERIFY'] });
  });

  const verify = async (key: string, ip?: string | null) => {
    const res = await graphql(t.url, { as: verifier.secret, query: VERIFY_FROM, variables: { key, ip } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.verifyApiKey;
  };

  it('answers VALID for an address inside the list, IP_NOT_ALLOWED with the details outside it, through GraphQL', async () => {
    const key = await keyAllowing(t.url, t.account.primary.secret, ['10.0.0.0/8', '2001:db8::/32']);
    for (const ip of ['10.1.2.3', '::ffff:10.1.2.3', '2001:db8:5::1', '2001:DB8::9']) {
      expect([ip, (await verify(key.secret, ip)).code]).toEqual([ip, 'VALID']);
    }
    for (const ip of ['11.0.0.1', '192.168.1.1', '2001:db9::1', '::1']) {
      expect([ip, await verify(key.secret, ip)]).toEqual([
        ip,
        { valid: false, code: 'IP_NOT_ALLOWED', prefix: key.prefix, rateLimit: { remaining: expect.any(Number) } },
      ]);
    }
  });

  it('charges nothing for an address outside the list', async () => {
    const key = await keyAllowing(t.url, t.account.primary.secret, ['203.0.113.7']);
    const first = (await verify(key.secret, '203.0.113.7')).rateLimit.remaining;
    for (let i = 0; i < 3; i++) expect((await verify(key.secret, '198.51.100.1')).rateLimit.remaining).toBe(first);
    expect((await verify(key.secret, '203.0.113.7')).rateLimit.remaining).toBe(first - 1);
  });

  it('fails closed when no ip is given for a key that has a list; a key without one needs none', async () => {
    const limited = await keyAllowing(t.url, t.account.primary.secret, ['203.0.113.7']);
    expect((await verify(limited.secret)).code).toBe('IP_NOT_ALLOWED');
    expect((await verify(limited.secret, null)).code).toBe('IP_NOT_ALLOWED');
    const open = await keyAllowing(t.url, t.account.primary.secret, []);
    expect((await verify(open.secret)).code).toBe('VALID');
    expect((await verify(open.secret, '198.51.100.1')).code).toBe('VALID');
  });

  it('gives the same answers through POST /v1/keys/verify', async () => {
    const key = await keyAllowing(t.url, t.account.primary.secret, ['10.0.0.0/8']);
    const outside = await verifyByRest(t, verifier.secret, { key: key.secret, ip: '192.0.2.1' });
    expect(outside.status).toBe(200);
    expect(outside.body.data).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED', prefix: key.prefix, kind: 'admin' });
    const inside = await verifyByRest(t, verifier.secret, { key: key.secret, ip: '10.20.30.40' });
    expect(inside.body.data).toMatchObject({ valid: true, code: 'VALID', prefix: key.prefix });
    expect(inside.body.data.rate_limit.remaining).toBe(outside.body.data.rate_limit.remaining - 1);
    const none = await verifyByRest(t, verifier.secret, { key: key.secret });
    expect(none.body.data).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED' });
  });

  it('answers a key that does not work as before, whatever the address: a revoked key is REVOKED', async () => {
    const key = await keyAllowing(t.url, t.account.primary.secret, ['10.0.0.0/8']);
    await t.data(t.account.primary.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: key.id });
    expect((await verify(key.secret, '192.0.2.1')).code).toBe('REVOKED');
  });
});
