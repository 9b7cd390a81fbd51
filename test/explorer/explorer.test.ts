import { request } from 'node:http';
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

/** What the explorer page is made of, over plain HTTP (its behaviour in a browser: explorer.browser.test.ts). */
describe('the explorer page', () => {
  const t = useTestServer({}, { account: false });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, t.url), { headers });

  it('is one static page that loads only its own scripts and styles, under a strict CSP', async () => {
    const res = await get('/explorer', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);

    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    const html = await res.text();
    expect(html).toContain('<div id="explorer" data-endpoint="/graphql">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=/);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) expect(url).toMatch(/^(\/explorer\/assets\/[\w.-]+\?v=[0-9a-f]{16}|data:,)$/);
  });

  it('serves each asset compressed, cacheable by its version, and revalidatable', async () => {
    const html = await (await get('/explorer')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const types = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
    for (const path of assets) {
      const gz = await get(path, { 'accept-encoding': 'gzip' });
      expect([path, gz.status, gz.headers.get('content-encoding')]).toEqual([path, 200, 'gzip']);
      expect(gz.headers.get('content-type')).toBe(types[path.match(/\.(js|css)\?/)![1] as 'js' | 'css']);
      expect(gz.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = await gz.text();
      expect(body.length).toBeGreaterThan(100);

      const plain = await get(path, { 'accept-encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(body);

      const etag = gz.headers.get('etag')!;
      expect(await statusOf(new URL(path, t.url), { 'accept-encoding': 'gzip', 'if-none-match': etag })).toBe(304);
    }
    const unversioned = await get(assets[0].replace(/\?v=.*/, '?v=old'));
    expect(unversioned.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/explorer/assets/package.json')).status).toBe(404);
    expect((await get('/explorer/assets/..%2f..%2fpackage.json')).status).toBe(404);
  });

  it("puts each field's rule into its description, where introspection (and so the docs pane) shows it", async () => {
    const res = await t.call(
      undefined,
      `{
        query: __type(name: "Query") { fields { name description } }
        mutation: __type(name: "Mutation") { fields { name description } }
        apiKey: __type(name: "ApiKey") { description }
      }`,
    );
    const { query, mutation, apiKey } = dataOf(res);
    const described = (fields: Array<{ name: string; description: string }>) =>
      Object.fromEntries(fields.map((f) => [f.name, f.description]));
    const queries = described(query.fields);
    const mutations = described(mutation.fields);

    expect(queries.apiKeys).toMatch(/\nRequires: `keys:read`\.$/);
    expect(queries.accounts).toMatch(/\nRequires: the platform operator\.$/);
    expect(queries.viewer).toMatch(/\nRequires: nothing \(public\)\.$/);
    expect(mutations.createPlaygroundKey).toMatch(/Requires: `keys:write`\./);
    for (const [name, description] of Object.entries({ ...queries, ...mutations })) {
      expect([name, description]).toEqual([name, expect.stringMatching(/(^|\n)Requires: /)]);
    }
    expect(apiKey.description).toContain('Requires: any credential (no particular permission), for each field without a rule of its own.');
  });
});

/** fetch adds `Cache-Control: no-cache` to a conditional request, which rightly defeats a 304: ask as a browser cache would. */
function statusOf(url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
}
