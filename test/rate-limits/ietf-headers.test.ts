import { poolPolicyField, poolRateLimitField, quotaFields } from '../../src/http/rate-limit-fields';
import { rest } from '../rest/rest-client';
import { codeOf } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

const VIEWER = '{ viewer { principal } }';

/** RateLimit-Policy and RateLimit of an answer (null when absent). */
function ietf(headers: Headers): { policy: string | null; rateLimit: string | null } {
  return { policy: headers.get('ratelimit-policy'), rateLimit: headers.get('ratelimit') };
}

/** The parameters of a one-item field: `"default";r=4;t=60` -> { name: 'default', r: 4, t: 60 }. */
function item(field: string): Record<string, string | number> {
  const [name, ...parameters] = field.split(';');
  const parsed: Record<string, string | number> = { name: JSON.parse(name) };
  for (const parameter of parameters) {
    const [key, value] = parameter.split('=');
    parsed[key] = Number(value);
  }
  return parsed;
}

describe('IETF RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers)', () => {
  const t = useTestServer({ corsOrigins: ['http://localhost:5173'] }, { account: false });

  it('come with every GraphQL answer to a caller with a pool, saying what RateLimit-Limit/-Remaining/-Reset say', async () => {
    const account = await t.seed.account();
    await setRateLimit(t, account.id, 5);
    for (let i = 0; i < 3; i++) {
      const res = await t.call(account.primary.secret, VIEWER);
      const old = rateLimitHeaders(res.headers);
      const { policy, rateLimit } = ietf(res.headers);
      expect(policy).toBe('"default";q=5;w=60');
      expect(rateLimit).toMatch(/^"default";r=\d+;t=\d+$/);
      expect(item(rateLimit!)).toEqual({ name: 'default', r: old.remaining, t: old.reset });
      expect(old.remaining).toBe(4 - i);
    }
  });

  it('come with REST answers, and with a refusal, where t is Retry-After', async () => {
    const account = await t.seed.account();
    await setRateLimit(t, account.id, 1);
    const call = () => rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: account.primary.secret });
    let res = await call();
    while (res.status === 200) res = await call();
    expect([res.status, res.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    const { policy, rateLimit } = ietf(res.headers);
    expect(policy).toBe('"default";q=1;w=60');
    expect(item(rateLimit!)).toEqual({ name: 'default', r: 0, t: Number(res.headers.get('retry-after')) });

    // GraphQL's refusal alike.
    const refused = await t.call(account.primary.secret, VIEWER);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(item(ietf(refused.headers).rateLimit!)).toEqual({ name: 'default', r: 0, t: Number(refused.headers.get('retry-after')) });
  });

  it('are absent for callers without a pool: anonymous and the operator', async () => {
    expect(ietf((await t.call(undefined, '{ permissions { name } }')).headers)).toEqual({ policy: null, rateLimit: null });
    expect(ietf((await t.call(t.operatorToken, '{ accounts(first: 1) { edges { node { id } } } }')).headers)).toEqual({
      policy: null,
      rateLimit: null,
    });
  });

  it('are readable by a page on an allowed origin (Access-Control-Expose-Headers)', async () => {
    const account = await t.seed.account();
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json', authorization: `Bearer ${account.primary.secret}` },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(res.headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['RateLimit-Policy', 'RateLimit']));
    expect(ietf(res.headers).policy).toBe('"default";q=1000;w=60');
  });

  it('are described in the OpenAPI document on every answer that carries RateLimit-Limit', async () => {
    const doc = (await rest(t.url, { method: 'GET', path: '/openapi.json' })).body;
    expect(doc.components.headers.RateLimitPolicy.schema).toMatchObject({ type: 'string' });
    expect(doc.components.headers.RateLimit.schema).toMatchObject({ type: 'string' });
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
          const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
          const names = Object.keys(resolved.headers ?? {});
          if (!names.includes('RateLimit-Limit')) continue;
          expect([path, method, status, names]).toEqual([path, method, status, expect.arrayContaining(['RateLimit-Policy', 'RateLimit'])]);
        }
      }
    }
  });
});

describe('the RateLimit field builder', () => {
  it("renders the pool's fields, the policy made once per limit and window", () => {
    expect(poolPolicyField(100, 60)).toBe('"default";q=100;w=60');
    expect(poolPolicyField(100, 60)).toBe(poolPolicyField(100, 60));
    expect(poolPolicyField(100, 2)).toBe('"default";q=100;w=2');
    expect(poolRateLimitField(42, 17)).toBe('"default";r=42;t=17');
  });

  it('renders any list of policies as Structured Fields lists, names as escaped sf-Strings', () => {
    expect(
      quotaFields([
        { name: 'default', limit: 100, windowSeconds: 60, remaining: 42, resetSeconds: 17 },
        { name: 'burst', limit: 5, windowSeconds: 1, remaining: 0, resetSeconds: 1 },
        { name: 'odd"name\\', limit: 1000, windowSeconds: 86400, remaining: 999, resetSeconds: 3600 },
      ]),
    ).toEqual({
      policy: '"default";q=100;w=60, "burst";q=5;w=1, "odd\\"name\\\\";q=1000;w=86400',
      rateLimit: '"default";r=42;t=17, "burst";r=0;t=1, "odd\\"name\\\\";r=999;t=3600',
    });
  });
});
