import { decodeJwt, decodeProtectedHeader } from 'jose';
import { runCliCaptured } from '../support/cli';
import { dataOf } from '../support/graphql';
import { PERMISSION_NAMES } from '../support/seed';
import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';

function token(env: NodeJS.ProcessEnv, ...argv: string[]) {
  return runCliCaptured(['token', ...argv], env);
}

const VIEWER = '{ viewer { principal subject permissions account { id } } }';

describe('keyward token', () => {
  const issuer = 'https://id.example.test/';
  const audience = 'keyward-dashboard';
  const env = { AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_JWT_ISSUER: issuer, AUTH_JWT_AUDIENCE: audience };
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, authJwtIssuer: issuer, authJwtAudience: audience });

  it('mints an HS256 token that the server accepts as a developer of the account', async () => {
    const minted = await token(env, '--account', t.account.id, '--sub', 'alice@example.test', '--roles', 'developer', '--ttl', '2h');
    expect(minted).toMatchObject({ code: 0, err: '' });
    const jwt = minted.out.trim();
    expect(minted.out).toBe(`${jwt}\n`);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ sub: 'alice@example.test', account_id: t.account.id, roles: ['developer'], iss: issuer, aud: audience });
    expect(claims.exp! - claims.iat!).toBe(7200);

    const res = await t.call(jwt, VIEWER);
    expect(dataOf(res).viewer).toMatchObject({ principal: 'USER', subject: 'alice@example.test', account: { id: t.account.id } });
    expect(dataOf(res).viewer.permissions).toEqual(PERMISSION_NAMES);
  });

  it('mints a token with no roles by default, and a one-hour lifetime', async () => {
    const minted = await token(env, '--account', t.account.id, '--sub', 'bob');
    const claims = decodeJwt(minted.out.trim());
    expect(claims.roles).toEqual([]);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const res = await t.call(minted.out.trim(), VIEWER);
    expect(dataOf(res).viewer).toMatchObject({ principal: 'USER', subject: 'bob', permissions: [] });
  });

  it('takes several roles, comma-separated', async () => {
    const minted = await token(env, '--account', t.account.id, '--sub', 'carol', '--roles', 'billing, owner');
    expect(decodeJwt(minted.out.trim()).roles).toEqual(['billing', 'owner']);
  });

  it('refuses to mint without AUTH_JWT_SECRET', async () => {
    const refused = await token({ AUTH_JWKS_URL: 'https://id.example.test/jwks.json' }, '--account', t.account.id, '--sub', 'alice');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/AUTH_JWT_SECRET is not set/);
  });

  it.each([
    [['--account', 'abc', '--sub', 'alice'], /--account/],
    [['--account', '1', '--sub', '  '], /--sub/],
    [['--account', '1', '--sub', 'alice', '--ttl', 'forever'], /--ttl/],
    [['--account', '1', '--sub', 'alice', '--ttl', '31d'], /--ttl/],
    [['--account', '1', '--sub', 'alice', '--ttl', '0'], /--ttl/],
  ])('refuses %j', async (argv, message) => {
    const refused = await token(env, ...argv);
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toMatch(message);
  });

  it('refuses a secret too short to sign with', async () => {
    const refused = await token({ AUTH_JWT_SECRET: 'short' }, '--account', '1', '--sub', 'alice');
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toMatch(/AUTH_JWT_SECRET must be at least 32 characters/);
  });

  it('requires --account and --sub', async () => {
    const refused = await token(env, '--sub', 'alice');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/--account/);
  });
});
