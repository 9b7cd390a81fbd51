import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { useTestServer } from '../support/harness';
import { rateLimitHeaders, setRateLimit } from './rate-limit.fixtures';

const VIEWER = '{ viewer { principal } }';

/** A port on 127.0.0.1 that nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** How many counter calls the server made in memory, from its /metrics page. */
async function memoryCounts(server: { url: string }): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const line = /^keyward_rate_limit_memory_counts_total (\d+)/m.exec(text);
  return line ? Number(line[1]) : 0;
}

/**
 * With Redis unreachable, rate limits go on in process memory at once:
 * the server starts, requests are answered and limited, and nothing waits
 * for Redis to come back. The metrics say the counting fell back.
 */
describe.each([
  ['refuses connections', async () => ({ url: `redis://127.0.0.1:${await closedPort()}`, close: async () => {} })],
  [
    'accepts connections and never answers',
    async () => {
      const silent = await silentServer();
      return { url: `redis://127.0.0.1:${silent.port}`, close: silent.close };
    },
  ],
])('rate limits while Redis %s', (_name, redis) => {
  let closeRedis: () => Promise<void>;
  // Startup completes although neither the counters nor the key-change channel can reach Redis.
  const t = useTestServer(
    async () => {
      const { url, close } = await redis();
      closeRedis = close;
      return { redisUrl: url };
    },
    { account: false },
  );
  // After the server's own afterAll: it stops before its Redis goes away.
  afterAll(() => closeRedis());

  it('answer requests with a key, counting the pool in memory', async () => {
    const { primary } = await t.seed.account();
    const before = await memoryCounts(t);
    const res = await t.call(primary.secret, VIEWER);
    expect(res.status).toBe(200);
    expect(res.data.viewer.principal).toBeDefined();
    expect(rateLimitHeaders(res.headers)).toMatchObject({ limit: expect.any(Number), remaining: expect.any(Number) });
    expect(await memoryCounts(t)).toBeGreaterThan(before);
  });

  it('still refuse a pool that is empty, with 429 and Retry-After', async () => {
    const account = await t.seed.account();
    await setRateLimit(t, account.id, 2);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.call(account.primary.secret, VIEWER));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(rateLimitHeaders(answers[2].headers).retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('let keys be changed: a key-change publish does not wait for Redis either', async () => {
    const { primary } = await t.seed.account();
    const key = await t.seed.key(primary.secret, { name: 'to rename' });
    const renamed = await t.call(primary.secret, 'mutation($id: ID!) { renameApiKey(id: $id, name: "renamed") { name } }', { id: key.id });
    expect(renamed.status).toBe(200);
    expect(renamed.data.renameApiKey.name).toBe('renamed');
  });
});
