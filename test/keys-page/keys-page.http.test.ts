import { request } from 'node:http';
import { ConfigError, loadConfig } from '../../src/config/config';
import { useTestServer } from '../support/harness';

/** How /keys is served: one origin, a strict CSP, framing only by EMBED_ORIGINS, compressed and long-cached assets. */
const assetUrls = (html: string) => [...html.matchAll(/(?:src|href)="(\/keys\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&#38;/g, '&'));

describe('/keys without EMBED_ORIGINS', () => {
  const t = useTestServer({}, { account: false });

  it('is a static page under a strict CSP that nobody may frame', async () => {
    const res = await fetch(`${t.url}/keys`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('data-graphql="/graphql"');
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    expect(assetUrls(html)).toEqual([
      expect.stringMatching(/^\/keys\/assets\/keys\.css\?v=[0-9a-f]{16}$/),
      expect.stringMatching(/^\/keys\/assets\/keys\.js\?v=[0-9a-f]{16}$/),
    ]);
  });

  it('serves its bundle compressed, immutable under its version, and answers a known ETag with 304', async () => {
    const html = await (await fetch(`${t.url}/keys`)).text();
    for (const url of assetUrls(html)) {
      const res = await fetch(`${t.url}${url}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).toContain('Accept-Encoding');
      expect(await statusOf(`${t.url}${url}`, { 'accept-encoding': 'br, gzip', 'if-none-match': res.headers.get('etag')! })).toBe(304);
    }
    const script = assetUrls(html).find((url) => url.includes('keys.js'))!;
    const gz = await fetch(`${t.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect((await gz.text()).length).toBeGreaterThan(1000);
    const stale = await fetch(`${t.url}${script.replace(/v=\w+/, 'v=old')}`);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${t.url}/keys/assets/other.js`)).status).toBe(404);
  });
});

describe('/docs', () => {
  const t = useTestServer({}, { account: false });

  it("is Scalar's reference and keyward's token bar, from this origin, scripts 'self' only", async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script>|https?:\/\//);
    const scripts = [...html.matchAll(/src="(\/docs\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([
      expect.stringMatching(/^\/docs\/assets\/scalar\.js\?v=\w{16}$/),
      expect.stringMatching(/^\/docs\/assets\/docs\.js\?v=\w{16}$/),
    ]);
    const scalar = await fetch(`${t.url}${scripts[0]}`, { headers: { 'accept-encoding': 'br' } });
    expect(scalar.headers.get('content-encoding')).toBe('br');
    expect(scalar.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

describe('/keys with EMBED_ORIGINS', () => {
  const t = useTestServer({ embedOrigins: ['https://app.example.com', 'http://localhost:5173'] }, { account: false });

  it('may be framed by those origins alone, and tells the page which they are', async () => {
    const res = await fetch(`${t.url}/keys`);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors https://app.example.com http://localhost:5173');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(await res.text()).toContain('data-embed-origins="https://app.example.com http://localhost:5173"');
  });
});

describe('EMBED_ORIGINS', () => {
  it('reads a comma-separated list of origins, normalised; unset, none', () => {
    expect(loadConfig({ EMBED_ORIGINS: ' https://App.Example.com , http://localhost:5173,' }).embedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({}).embedOrigins).toEqual([]);
  });

  it.each(['https://app.example.com/', 'app.example.com', 'https://app.example.com/settings'])(
    'refuses %s, naming the setting',
    (entry) => {
      const load = () => loadConfig({ EMBED_ORIGINS: entry });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(`EMBED_ORIGINS: "${entry}" is not an origin`);
    },
  );
});

/** fetch adds `Cache-Control: no-cache` to a conditional request, which rightly defeats a 304: ask as a browser cache would. */
function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
}
