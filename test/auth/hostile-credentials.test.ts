import { connect } from 'node:net';
import { codeOf, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { withTestServer } from '../support/server';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import { SignJWT, JWTPayload } from 'jose';

const VIEWER = '{ viewer { principal } }';

/** A JWT with exactly these claims (no defaults added), signed with the test servers' secret. */
function signed(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

const now = () => Math.floor(Date.now() / 1000);

/** One raw HTTP request, so headers can repeat: fetch would join two Authorization headers into one. */
function rawRequest(url: string, head: string[], body: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(received.split(' ')[1]), text: received }));
    const lines = [
      'POST /graphql HTTP/1.1',
      `Host: ${hostname}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      ...head,
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

describe('credentials that try to confuse the server', () => {
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, authJwtMaxTtlSeconds: 24 * 60 * 60 });

  const refusal = async (credential: string) => {
    const res = await t.call(credential, VIEWER);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    return res.errors?.[0].message ?? '';
  };

  it('refuses two Authorization headers instead of using the first', async () => {
    const body = JSON.stringify({ query: VIEWER });
    const one = await rawRequest(t.url, [`Authorization: Bearer ${t.account.primary.secret}`], body);
    expect(one.status).toBe(200);
    const two = await rawRequest(t.url, [`Authorization: Bearer ${t.account.primary.secret}`, 'Authorization: Bearer sk_nothing'], body);
    expect(two.status).toBe(401);
    expect(two.text).toContain('more than one Authorization header');
  });

  it.each([
    ['double quotes', (key: string) => `"${key}"`],
    ['single quotes', (key: string) => `'${key}'`],
  ])('says to remove the quotes around a key in %s', async (_case, quote) => {
    expect(await refusal(quote(t.account.primary.secret))).toMatch(/without them/);
    const viaHeader = await graphql(t.url, { as: quote(t.account.primary.secret), via: 'x-api-key', query: VIEWER });
    expect(viaHeader.errors?.[0].message).toMatch(/without them/);
  });

  it('says so for typographic quotes too, which only a body can carry', async () => {
    const res = await graphql(t.url, { as: `\u201c${t.account.primary.secret}\u201d`, via: 'body', query: VIEWER });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].message).toMatch(/without them/);
  });

  it('talks about a token, not a key, when a dotted credential is no JWT', async () => {
    const message = await refusal('eyJhbGciOiJIUzI1NiJ9.not a payload.sig');
    expect(message).toMatch(/token/i);
    expect(message).not.toMatch(/API key/);
  });

  it.each([
    ['a number', 42],
    ['an array', ['alice']],
    ['an object', { name: 'alice' }],
    ['a boolean', true],
  ])('refuses a validly signed token whose sub is %s with 401, not a 500', async (_case, sub) => {
    const token = await signed({ sub: sub as never, account_id: t.account.id, roles: ['developer'], iat: now(), exp: now() + 600 });
    expect(await refusal(token)).toMatch(/sub claim/);
  });

  it('refuses a token issued in the future, beyond the clock tolerance', async () => {
    const token = await signed({ sub: 'alice', account_id: t.account.id, iat: now() + 3600, exp: now() + 7200 });
    expect(await refusal(token)).toMatch(/iat/);
  });

  it('refuses a token meant to live longer than AUTH_JWT_MAX_TTL, from iat or from now', async () => {
    const withIat = await signed({ sub: 'alice', account_id: t.account.id, iat: now(), exp: now() + 30 * 24 * 3600 });
    expect(await refusal(withIat)).toMatch(/AUTH_JWT_MAX_TTL/);
    const withoutIat = await signed({ sub: 'alice', account_id: t.account.id, exp: now() + 2 * 24 * 3600 });
    expect(await refusal(withoutIat)).toMatch(/AUTH_JWT_MAX_TTL/);
  });

  it('accepts a token within AUTH_JWT_MAX_TTL, including one issued a while ago', async () => {
    const fresh = await signed({ sub: 'alice', account_id: t.account.id, roles: ['developer'], iat: now(), exp: now() + 23 * 3600 });
    const older = await signed({ sub: 'bob', account_id: t.account.id, iat: now() - 20 * 3600, exp: now() + 3600 });
    for (const token of [fresh, older]) {
      const res = await t.call(token, VIEWER);
      expect(res.errors).toBeUndefined();
      expect(res.data.viewer.principal).toBe('USER');
    }
  });

  it('takes its maximum from AUTH_JWT_MAX_TTL', async () => {
    await withTestServer({ authJwtSecret: TEST_JWT_SECRET, authJwtMaxTtlSeconds: 600 }, async (strict) => {
      const tenant = await strict.seed.account();
      const hour = await signed({ sub: 'alice', account_id: tenant.id, iat: now(), exp: now() + 3600 });
      const res = await strict.call(hour, VIEWER);
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toContain('600 s');
    });
  });
});
