import { redactUrlCredentials } from '../../src/logging/logger';
import { rest } from '../rest/rest-client';
import { CredentialVia, graphql } from '../support/graphql';
import { SeededKey } from '../support/seed';
import { useTestServer } from '../support/harness';
import { capturedLogs } from '../support/logs';
import { TEST_JWT_SECRET, userToken } from '../support/user-tokens';

const VIAS: CredentialVia[] = ['bearer', 'x-api-key', 'query', 'body'];

describe('request logs', () => {
  const logs = capturedLogs();
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET }, { logger: logs.logger });
  let admin: SeededKey;
  let clientKey: SeededKey;
  let revoked: SeededKey;
  let jwt: string;

  beforeAll(async () => {
    admin = t.account.primary;
    const client = await t.seed.client(admin.secret);
    clientKey = await t.seed.key(admin.secret, { clientId: client.id, permissions: ['KEYS_READ', 'KEYS_WRITE'] });
    revoked = await t.seed.key(admin.secret);
    await t.call(admin.secret, 'mutation($id: ID!) { revokeApiKey(id: $id) { prefix } }', { id: revoked.id });
    jwt = await userToken({ sub: 'alice', account_id: t.account.id, roles: ['developer'] });
  });

  /** Every credential the tests present, and what of them may be logged: nothing but a key's prefix. */
  const secrets = () => [admin.secret, clientKey.secret, revoked.secret, jwt, t.operatorToken].flatMap((s) => [s, s.slice(12)]);

  it('never contain a raw key, a JWT or the operator token, wherever the credential arrived', async () => {
    const before = logs.lines.length;
    for (const via of VIAS) {
      for (const as of [admin.secret, clientKey.secret, revoked.secret, jwt, t.operatorToken]) {
        await graphql(t.url, { as, via, query: '{ viewer { principal } }' });
        await rest(t.url, { method: 'POST', path: '/api/v1/client/api-key', as, via, body: { keyName: `logged ${via}` } });
        await rest(t.url, { method: 'POST', path: '/v1/keys/verify', as: t.operatorToken, body: { key: as } });
      }
    }
    // A key where no credential belongs: inline in a GET query, and in a mistyped parameter.
    const inline = new URL('/graphql', t.url);
    inline.searchParams.set('query', `{ verifyApiKey(key: "${clientKey.secret}") { code } }`);
    await fetch(inline, { headers: { authorization: `Bearer ${t.operatorToken}` } });
    const typo = new URL('/graphql', t.url);
    typo.searchParams.set('apikey', admin.secret);
    typo.searchParams.set('token', jwt);
    typo.searchParams.set('query', '{ viewer { principal } }');
    await fetch(typo);

    const logged = logs.lines.slice(before);
    // One line per request, each with its URL and status: the logs are there, and they say something.
    expect(logged.length).toBeGreaterThanOrEqual(VIAS.length * 5 * 3 + 2);
    const entries = logged.map((line) => JSON.parse(line));
    expect(entries.every((e) => typeof e.req?.url === 'string' && typeof e.res?.statusCode === 'number')).toBe(true);
    expect(entries.some((e) => e.actor === admin.prefix)).toBe(true);
    expect(entries.some((e) => e.actor === 'user:alice')).toBe(true);
    expect(entries.some((e) => e.req.url.includes('api_key=[redacted]'))).toBe(true);
    expect(entries.some((e) => e.req.url.includes(`${clientKey.prefix}_[redacted]`))).toBe(true);

    const text = logged.join('\n');
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/authorization|x-api-key/i);
  });

  it('log one line per request, at error level only for server faults', async () => {
    const before = logs.lines.length;
    await t.call(admin.secret, '{ viewer { principal } }');
    await fetch(new URL('/healthz', t.url));
    const logged = logs.lines.slice(before).map((line) => JSON.parse(line));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 }, actor: admin.prefix });
    expect(typeof logged[0].responseTime).toBe('number');
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['/x?api_key=sk_4fQm9ZtX_abc&b=1', '/x?api_key=[redacted]&b=1'],
    ['/x?a=1&API_KEY=whatever', '/x?a=1&API_KEY=[redacted]'],
    [
      '/graphql?query=%7Bv(key:%22sk_4fQm9ZtX_Wc1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%22)%7D',
      '/graphql?query=%7Bv(key:%22sk_4fQm9ZtX_[redacted]%22)%7D',
    ],
    ['/x?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-nature_', '/x?token=[redacted-jwt]'],
    ['/healthz', '/healthz'],
  ])('%s', (url, expected) => {
    expect(redactUrlCredentials(url)).toBe(expected);
  });
});
