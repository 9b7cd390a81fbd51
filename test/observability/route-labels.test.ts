import { sample } from '../support/prometheus';
import { useTestServer } from '../support/harness';
import { capturedLogs } from '../support/logs';

const requests = (text: string, labels: Record<string, string>) => sample(text, 'keyward_http_requests_total', labels);

describe('request metrics name the route that answered', () => {
  const t = useTestServer({}, { account: false });
  const scrape = async () => (await fetch(new URL('/metrics', t.url))).text();

  it('counts an explorer asset under its pattern, and a missing one under /explorer, never "undefined/…"', async () => {
    const page = await (await fetch(new URL('/explorer', t.url))).text();
    const asset = /\/explorer\/assets\/[^"?]+/.exec(page)?.[0] as string;
    expect(asset).toBeDefined();
    expect((await fetch(new URL(asset, t.url))).status).toBe(200);
    expect((await fetch(new URL('/explorer/assets/no-such-file.js', t.url))).status).toBe(404);
    const text = await scrape();
    expect(requests(text, { method: 'GET', route: '/explorer/assets/:name', status: '200' })).toBe(1);
    expect(requests(text, { method: 'GET', route: '/explorer', status: '404' })).toBe(1);
    expect(text).not.toMatch(/route="undefined/);
  });

  it('counts POST /v1/keys/verify, and its 405, under /v1/keys/verify once', async () => {
    await fetch(new URL('/v1/keys/verify', t.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(new URL('/v1/keys/verify', t.url));
    const text = await scrape();
    expect(requests(text, { method: 'POST', route: '/v1/keys/verify', status: '401' })).toBe(1);
    expect(requests(text, { method: 'GET', route: '/v1/keys/verify', status: '405' })).toBe(1);
    expect(text).not.toContain('/v1/keys/verify/v1/keys/verify');
  });
});

describe('request logs mask credentials however the URL encodes them', () => {
  const logs = capturedLogs();
  const t = useTestServer({}, { logger: logs.logger });

  const encodeAll = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

  it.each([
    [
      'a percent-encoded parameter name and value',
      (key: string) => `/graphql?api%5Fkey=${key.replace(/_/g, '%5F')}&query=%7Bviewer%7Bprincipal%7D%7D`,
    ],
    ['every character encoded', (key: string) => `/graphql?${encodeAll('api_key')}=${encodeAll(key)}&query=%7Bviewer%7Bprincipal%7D%7D`],
    ['a doubly encoded key elsewhere in the URL', (key: string) => `/no/such/${encodeURIComponent(encodeURIComponent(key))}`],
  ])('%s', async (_case, path) => {
    const before = logs.lines.length;
    const secret = t.account.primary.secret;
    const res = await fetch(new URL(path(secret), t.url), { headers: { accept: 'application/json' } });
    expect(res.status).toBeLessThan(500);
    const logged = logs.lines.slice(before).join('\n');
    expect(logged).toContain('"url"');
    expect(logged).not.toContain(secret.slice(12));
    expect(logged).not.toContain(encodeAll(secret.slice(12)));
  });

  it('still authenticates the encoded parameter, so masking it matters', async () => {
    const secret = t.account.primary.secret;
    const res = await fetch(new URL(`/graphql?api%5Fkey=${secret.replace(/_/g, '%5F')}&query=%7Bviewer%7Bprincipal%7D%7D`, t.url));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { viewer: { principal: string } } };
    expect(body.data.viewer.principal).toBe('ADMIN_KEY');
  });
});
