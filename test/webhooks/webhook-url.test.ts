import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { isBlockedAddress } from '../../src/webhooks/webhook-url';
import { webhookSender } from '../../src/webhooks/webhook-sender';

/*
 * The address rule itself, and the second check: right before each delivery
 * the host is resolved again and a private answer is refused without a
 * connection (DNS can change after the endpoint was set).
 */
describe('webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'not an address',
  ])('%s is blocked', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('the sender refuses a private address at delivery time and never connects; with the flag it delivers', async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.writeHead(204).end());
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    try {
      const refused = await webhookSender(false)({ url: url.replace('http:', 'https:'), headers: {}, body: '{}' });
      expect(refused).toEqual({ status: null, error: expect.stringMatching(/loopback, private, link-local or metadata/) });
      const byName = await webhookSender(false)({
        url: url.replace('127.0.0.1', 'localhost').replace('http:', 'https:'),
        headers: {},
        body: '{}',
      });
      expect(byName.status).toBeNull();
      expect(connections).toBe(0);
      expect(await webhookSender(true)({ url, headers: {}, body: '{}' })).toEqual({ status: 204, error: null });
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
