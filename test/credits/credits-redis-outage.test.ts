import { AddressInfo, createServer } from 'node:net';
import { useTestServer } from '../support/harness';
import { creditedKey, requestWith, verifyCosting } from './credits.fixtures';

/** A port on 127.0.0.1 that nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * With Redis unreachable, credits and named limits are counted in process
 * memory at once (per instance, see the README): uses are answered, limited
 * and never kept waiting for Redis.
 */
describe('credits and named limits while Redis refuses connections', () => {
  const t = useTestServer(async () => ({ redisUrl: `redis://127.0.0.1:${await closedPort()}` }));

  it('are still counted, in memory, without waiting', async () => {
    const key = await creditedKey(t.url, t.account.primary.secret, {
      remaining: 3,
      rateLimits: [{ name: 'calls', limit: 10, durationSeconds: 86400 }],
    });
    const started = Date.now();
    expect((await requestWith(t.url, key.secret)).status).toBe(200);
    expect(await verifyCosting(t.url, t.operatorToken, key.secret, 2)).toMatchObject({ code: 'VALID', remaining: 0 });
    expect((await verifyCosting(t.url, t.operatorToken, key.secret)).code).toBe('USAGE_EXCEEDED');
    expect((await requestWith(t.url, key.secret)).status).toBe(429);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
