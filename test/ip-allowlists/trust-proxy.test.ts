import { ApiKey } from '../../src/api-keys/api-key.entity';
import { ConfigError, loadConfig } from '../../src/config/config';
import { neverIssuedKey } from '../verify/verify.fixtures';
import { useTestServer } from '../support/harness';
import { keyAllowing, overIPv4, viewerWith } from './ip-allowlists.fixtures';

/*
 * TRUST_PROXY says which X-Forwarded-For addresses to believe. These
 * requests come from 127.0.0.1 (the "proxy"); the header says who sent them
 * to it. Whatever the setting gives is the client's address for everything:
 * allowlists here, and the failed-authentication limits of each address.
 */
const forwardedFor = (value: string) => ({ 'x-forwarded-for': value });

describe('TRUST_PROXY unset: the socket address only', () => {
  const t = useTestServer();

  it('ignores X-Forwarded-For: a forged header does not get a key past its allowlist', async () => {
    const url = overIPv4(t.url);
    const key = await keyAllowing(url, t.account.primary.secret, ['203.0.113.0/24']);
    expect((await viewerWith(url, key.secret, forwardedFor('203.0.113.9'))).code).toBe('IP_NOT_ALLOWED');
    const local = await keyAllowing(url, t.account.primary.secret, ['127.0.0.1']);
    expect((await viewerWith(url, local.secret, forwardedFor('203.0.113.9'))).prefix).toBe(local.prefix);
  });
});

describe('TRUST_PROXY=loopback: behind one proxy on this machine', () => {
  const t = useTestServer({ trustProxy: loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy, authFailuresPerMinute: 2 });
  let url: string;
  beforeAll(() => {
    url = overIPv4(t.url);
  });

  it('uses the forwarded address, and the socket address when there is none', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['203.0.113.0/24']);
    expect((await viewerWith(url, key.secret, forwardedFor('203.0.113.9'))).prefix).toBe(key.prefix);
    expect((await viewerWith(url, key.secret, forwardedFor('198.51.100.1'))).code).toBe('IP_NOT_ALLOWED');
    expect((await viewerWith(url, key.secret)).code).toBe('IP_NOT_ALLOWED');
  });

  it('believes only trusted hops: the address the loopback proxy was handed, not what the client wrote before it', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['203.0.113.9']);
    // The client forged "203.0.113.9"; the proxy appended the address it really saw.
    expect((await viewerWith(url, key.secret, forwardedFor('203.0.113.9, 198.51.100.1'))).code).toBe('IP_NOT_ALLOWED');
    expect((await viewerWith(url, key.secret, forwardedFor('198.51.100.1, 203.0.113.9'))).prefix).toBe(key.prefix);
  });

  it('falls back to the proxy address when the header holds no address', async () => {
    const key = await keyAllowing(url, t.account.primary.secret, ['127.0.0.1']);
    expect((await viewerWith(url, key.secret, forwardedFor('not-an-address'))).prefix).toBe(key.prefix);
  });

  it("records the forwarded address as the key's last-used address", async () => {
    const key = await keyAllowing(url, t.account.primary.secret, []);
    await viewerWith(url, key.secret, forwardedFor('2001:db8::7'));
    await t.server.services.lastUsed.flush();
    const row = await t.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(key.id) });
    expect(row.lastUsedIp).toBe('2001:db8::7');
  });

  it('counts failed authentications per forwarded address, not for the proxy as a whole', async () => {
    const fail = (from: string) => viewerWith(url, neverIssuedKey(), forwardedFor(from));
    expect([(await fail('192.0.2.1')).status, (await fail('192.0.2.1')).status, (await fail('192.0.2.1')).status]).toEqual([401, 401, 429]);
    expect((await fail('192.0.2.2')).status).toBe(401);
  });
});

describe('TRUST_PROXY as a hop count or true', () => {
  const oneHop = useTestServer({ trustProxy: 1 });
  const everything = useTestServer({ trustProxy: true });

  it('with 1, takes the address the one proxy in front appended; with true, the left-most', async () => {
    const header = forwardedFor('192.0.2.1, 203.0.113.9');
    const hopKey = await keyAllowing(overIPv4(oneHop.url), oneHop.account.primary.secret, ['203.0.113.9']);
    expect((await viewerWith(overIPv4(oneHop.url), hopKey.secret, header)).prefix).toBe(hopKey.prefix);
    const leftKey = await keyAllowing(overIPv4(everything.url), everything.account.primary.secret, ['192.0.2.1']);
    expect((await viewerWith(overIPv4(everything.url), leftKey.secret, header)).prefix).toBe(leftKey.prefix);
    expect((await viewerWith(overIPv4(everything.url), leftKey.secret)).code).toBe('IP_NOT_ALLOWED');
  });
});

describe('TRUST_PROXY as the configuration reads it', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['LoopBack, 10.0.0.0/8 , 2001:db8::1', ['loopback', '10.0.0.0/8', '2001:db8::1']],
    ['uniquelocal,linklocal', ['uniquelocal', 'linklocal']],
  ])('reads %p as %p', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['proxy.internal', '10.0.0.0/33', '101', 'yes'])('refuses %p at start, naming it', (raw) => {
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY/);
  });
});
