import { ConfigError, loadConfig } from '../../src/config/config';
import { useTestServer } from '../support/harness';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

/** What a browser sends before a cross-origin call that carries a credential or a JSON body. */
function preflight(baseUrl: string, path: string, origin: string, method: string, headers = 'authorization, content-type') {
  return fetch(new URL(path, baseUrl), {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

describe('CORS: pages on the origins in CORS_ORIGINS may call the API', () => {
  const t = useTestServer({ corsOrigins: [APP, 'http://localhost:5173'] });

  it.each([
    ['/graphql', 'POST'],
    ['/graphql', 'GET'],
    ['/api/v1/client/api-key', 'POST'],
    ['/api/v1/client/api-key', 'GET'],
    ['/api/v1/client/api-key/7', 'DELETE'],
    ['/api/v1/client/api-key/reset/7', 'PUT'],
    ['/v1/keys/verify', 'POST'],
    ['/openapi.json', 'GET'],
  ])('answers a preflight for %s %s from an allowed origin: 204, that origin, the headers, a max-age', async (path, method) => {
    const res = await preflight(t.url, path, APP, method, 'authorization, content-type, x-api-key');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toContain(method);
    expect(res.headers.get('access-control-allow-headers')?.split(',')).toEqual(['authorization', 'content-type', 'x-api-key']);
    expect(res.headers.get('access-control-max-age')).toBe('600');
    // No credentials mode: keyward reads no cookie, so a page cannot ride on one.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives a refused origin no Access-Control-Allow-Origin, on the preflight and on the call itself', async () => {
    const pre = await preflight(t.url, '/graphql', OTHER, 'POST');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { origin: OTHER, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('names an allowed origin on the answer and exposes the rate-limit, Retry-After and WWW-Authenticate headers', async () => {
    const res = await fetch(new URL('/graphql', t.url), {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json', authorization: `Bearer ${t.account.primary.secret}` },
      body: JSON.stringify({ query: '{ viewer { prefix } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-expose-headers')?.split(',')).toEqual([
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'RateLimit-Policy',
      'RateLimit',
      'Retry-After',
      'WWW-Authenticate',
    ]);
    expect(res.headers.get('ratelimit-remaining')).not.toBeNull();
  });

  it('leaves the explorer and the operations endpoints same-origin', async () => {
    for (const path of ['/explorer', '/healthz', '/metrics']) {
      const res = await fetch(new URL(path, t.url), { headers: { origin: APP } });
      expect([path, res.headers.get('access-control-allow-origin')]).toEqual([path, null]);
    }
  });
});

describe('CORS without CORS_ORIGINS: no cross-origin access', () => {
  const plain = useTestServer({}, { account: false });

  it('answers no preflight with an Access-Control-Allow-Origin', async () => {
    for (const path of ['/graphql', '/api/v1/client/api-key', '/v1/keys/verify']) {
      const res = await preflight(plain.url, path, APP, 'POST');
      expect([path, res.headers.get('access-control-allow-origin')]).toEqual([path, null]);
    }
  });
});

describe('CORS_ORIGINS', () => {
  it('reads a comma-separated list of origins, normalised as a browser sends them', () => {
    const config = loadConfig({ CORS_ORIGINS: ' https://App.Example.com , http://localhost:5173,https://admin.example.com:443,' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173', 'https://admin.example.com']);
  });

  it('is empty when unset', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  it.each([
    ['a trailing slash', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/app'],
    ['no scheme', 'app.example.com'],
    ['a wildcard', '*'],
    ['another scheme', 'ftp://files.example.com'],
    ['a bad port', 'https://app.example.com:99999'],
    ['a query', 'https://app.example.com?x=1'],
    ['user info', 'https://me@app.example.com'],
  ])('refuses an entry with %s, naming it', (_case, entry) => {
    const load = () => loadConfig({ CORS_ORIGINS: `https://ok.example.com,${entry}` });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`CORS_ORIGINS: "${entry}" is not an origin; write scheme://host[:port], e.g. https://app.example.com`);
  });
});
