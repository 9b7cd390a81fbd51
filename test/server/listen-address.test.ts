import { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../../src/config/config';
import { withTestServer } from '../support/server';

describe('HOST, the address the server listens on', () => {
  it('is every interface when unset, as before', () => {
    expect(loadConfig({}).host).toBeUndefined();
    expect(loadConfig({ HOST: '  ' }).host).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::', '::'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['keyward.internal', 'keyward.internal'],
  ])('takes an address or a host name: %s', (given, host) => {
    expect(loadConfig({ HOST: given }).host).toBe(host);
  });

  it.each(['http://0.0.0.0', '127.0.0.1:4000', 'not a host', '-bad.example', 'a..b'])('refuses %s at start', (given) => {
    expect(() => loadConfig({ HOST: given })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: given })).toThrow(/HOST must be an IP address or a host name/);
  });

  it('listens only there, and prints its URL with it', async () => {
    await withTestServer({ host: '127.0.0.1' }, async ({ server, url, data }) => {
      expect((server.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await data(undefined, '{ viewer { principal } }')).viewer).toEqual({ principal: 'ANONYMOUS' });
    });
  });

  it('on every interface prints a localhost URL', async () => {
    await withTestServer({}, async ({ server, url }) => {
      expect(['::', '0.0.0.0']).toContain((server.httpServer.address() as AddressInfo).address);
      expect(url).toBe(`http://localhost:${server.port}`);
    });
  });
});
