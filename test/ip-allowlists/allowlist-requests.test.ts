import { useTestServer } from '../support/harness';
import { keyAllowing, overIPv4, restWith, viewerWith } from './ip-allowlists.fixtures';

/*
 * A key with allowedIps authenticates requests from those addresses only:
 * from anywhere else, GraphQL and REST alike answer 403 IP_NOT_ALLOWED
 * before anything runs. These requests come from 127.0.0.1.
 */
describe('requests made with a key that has allowedIps', () => {
  const t = useTestServer();
  let url: string;
  beforeAll(() => {
    url = overIPv4(t.url);
  });

  it('refuses a request from 127.0.0.1 to a key allowing only 10.0.0.0/8: 403 IP_NOT_ALLOWED', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8']);
    const refused = await viewerWith(url, key.secret);
    expect([refused.status, refused.code, refused.prefix]).toEqual([403, 'IP_NOT_ALLOWED', null]);
    expect(refused.res.errors?.[0]?.message).toContain(key.prefix);
  });

  it('admits one from 127.0.0.1 to a key allowing 127.0.0.1/32, or a range holding it, or ::ffff:127.0.0.1', async () => {
    for (const allowed of [['127.0.0.1/32'], ['10.0.0.0/8', '127.0.0.0/8'], ['::ffff:127.0.0.1']]) {
      const key = await keyAllowing(url, t.account.primary.secret, allowed);
      const admitted = await viewerWith(url, key.secret);
      expect([allowed, admitted.status, admitted.prefix]).toEqual([allowed, 200, key.prefix]);
    }
  });

  it('keeps refusing on every request, the cached key included, and admits the same key from nowhere else', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['2001:db8::/32']);
    for (let i = 0; i < 3; i++) expect((await viewerWith(url, key.secret)).code).toBe('IP_NOT_ALLOWED');
    const open = await keyAllowing(url, t.account.primary.secret, []);
    expect((await viewerWith(url, open.secret)).prefix).toBe(open.prefix);
  });

  it('refuses REST requests the same way, in the REST shape', async () => {
    const client = await t.seed.client(t.account.primary.secret, 'Acme');
    const outside = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8'], { clientId: client.id, permissions: ['KEYS_READ'] });
    const res = await restWith(url, outside.secret);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ success: false, error: { code: 'IP_NOT_ALLOWED', message: expect.stringContaining(outside.prefix) } });
    const inside = await keyAllowing(url, t.account.primary.secret, ['127.0.0.1'], { clientId: client.id, permissions: ['KEYS_READ'] });
    expect((await restWith(url, inside.secret)).status).toBe(200);
  });

  it('does not count a refused address as a failed authentication', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['10.0.0.0/8']);
    // AUTH_FAILURES_PER_MINUTE is 100: a key refused for its address 101 times would be throttled were it counted.
    const codes = new Set<string | null>();
    for (let i = 0; i < 101; i++) codes.add((await viewerWith(url, key.secret)).code);
    expect([...codes]).toEqual(['IP_NOT_ALLOWED']);
  });
});
