import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';
import { sample } from '../support/prometheus';
import { Seed, SeededAccount } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const requests = (text: string, labels: Record<string, string>) => sample(text, 'keyward_http_requests_total', labels);

describe('request metrics name the route that answered', () => {
  let server: TestServer;
  const scrape = async () => (await fetch(new URL('/metrics', server.url))).text();

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('counts an explorer asset under its pattern, and a missing one under /explorer, never "undefined/…"', async () => {
    const page = await (await fetch(new URL('/explorer', server.url))).text();
    const asset = /\/explorer\/assets\/[^"?]+/.exec(page)?.[0] as string;
    expect(asset).toBeDefined();
    expect((await fetch(new URL(asset, server.url))).status).toBe(200);
    expect((await fetch(new URL('/explorer/assets/no-such-file.js', server.url))).status).toBe(404);
    const text = await scrape();
    expect(requests(text, { method: 'GET', route: '/explorer/assets/:name', status: '200' })).toBe(1);
    expect(requests(text, { method: 'GET', route: '/explorer', status: '404' })).toBe(1);
    expect(text).not.toMatch(/route="undefined/);
  });

  it('counts POST /v1/keys/verify, and its 405, under /v1/keys/verify once', async () => {
    await fetch(new URL('/v1/keys/verify', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(new URL('/v1/keys/verify', server.url));
    const text = await scrape();
    expect(requests(text, { method: 'POST', route: '/v1/keys/verify', status: '401' })).toBe(1);
    expect(requests(text, { method: 'GET', route: '/v1/keys/verify', status: '405' })).toBe(1);
    expect(text).not.toContain('/v1/keys/verify/v1/keys/verify');
  });
});

describe('request logs mask credentials however the URL encodes them', () => {
  let server: TestServer;
  let account: SeededAccount;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({}, { logger: createLogger('info', sink) });
    account = await new Seed(server).account();
  });
  afterAll(() => server.stop());

  const encodeAll = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

  it.each([
    [
      'a percent-encoded parameter name and value',
      (key: string) => `/graphql?api%5Fkey=${key.replace(/_/g, '%5F')}&query=%7Bviewer%7Bprincipal%7D%7D`,
    ],
    ['every character encoded', (key: string) => `/graphql?${encodeAll('api_key')}=${encodeAll(key)}&query=%7Bviewer%7Bprincipal%7D%7D`],
    ['a doubly encoded key elsewhere in the URL', (key: string) => `/no/such/${encodeURIComponent(encodeURIComponent(key))}`],
  ])('%s', async (_case, path) => {
    const before = lines.length;
    const secret = account.primary.secret;
    const res = await fetch(new URL(path(secret), server.url), { headers: { accept: 'application/json' } });
    expect(res.status).toBeLessThan(500);
    const logged = lines.slice(before).join('\n');
    expect(logged).toContain('"url"');
    expect(logged).not.toContain(secret.slice(12));
    expect(logged).not.toContain(encodeAll(secret.slice(12)));
  });

  it('still authenticates the encoded parameter, so masking it matters', async () => {
    const secret = account.primary.secret;
    const res = await fetch(new URL(`/graphql?api%5Fkey=${secret.replace(/_/g, '%5F')}&query=%7Bviewer%7Bprincipal%7D%7D`, server.url));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { viewer: { principal: string } } };
    expect(body.data.viewer.principal).toBe('ADMIN_KEY');
  });
});
