import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { rest } from '../rest/rest-client';
import { codeOf } from '../support/graphql';
import { serverDatabase, TestDatabase } from '../support/database';
import { useTestServer } from '../support/harness';

/**
 * A TCP proxy to the MySQL server that can stop forwarding: the database
 * then accepts every byte and answers none, as a hung or partitioned
 * database does, while its connections stay open.
 */
async function stallableProxy(target: URL): Promise<{ port: number; stall(): void; resume(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  let stalled = false;
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      if (stalled) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 3306), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const VIEWER = '{ viewer { principal } }';

/**
 * A database that stops answering: a request that needs it (a key whose
 * cache entry expired) is answered 503 SERVICE_UNAVAILABLE with Retry-After
 * after DATABASE_TIMEOUT_SECONDS, never a 500 nor a 401, and answers again
 * once the database does.
 *
 * MySQL only: SQLite is a file in the server's own process, which cannot
 * stall like a remote server (in WAL mode readers are never held by a lock).
 */
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('a database that hangs', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof stallableProxy>>;

  beforeAll(async () => {
    database = await serverDatabase();
    proxy = await stallableProxy(new URL(database.url));
  });
  // Before the server's own afterAll: a stop would wait on a stalled database.
  afterAll(() => proxy.resume());
  const t = useTestServer(
    () => {
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      return { databaseUrl: url.toString(), databaseTimeoutMs: 500 };
    },
    { account: false },
  );
  afterAll(async () => {
    await proxy.close();
    await database.drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After for a key it must look up, on GraphQL and REST, then recovers', async () => {
    const account = await t.seed.account();
    expect((await t.call(account.primary.secret, VIEWER)).status).toBe(200);
    // The key's cache entry expires; the next request must ask the database.
    t.clock.advance(10 * 60_000);
    proxy.stall();

    const onGraphql = await t.call(account.primary.secret, VIEWER);
    expect(onGraphql.status).toBe(503);
    expect(codeOf(onGraphql)).toBe('SERVICE_UNAVAILABLE');
    expect(Number(onGraphql.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const onRest = await rest(t.url, { method: 'GET', path: '/api/v1/client/api-key', as: account.primary.secret });
    expect(onRest.status).toBe(503);
    expect(onRest.body).toMatchObject({ success: false, error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(Number(onRest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    proxy.resume();
    expect((await t.call(account.primary.secret, VIEWER)).status).toBe(200);
  });

  it('answers SERVICE_UNAVAILABLE for any statement, not only the key lookup: a list and a change with a cached key', async () => {
    const account = await t.seed.account();
    expect((await t.call(account.primary.secret, VIEWER)).status).toBe(200);
    proxy.stall();

    // A resolver's error, in GraphQL's answer beside the data (the request itself was admitted).
    const list = await t.call(account.primary.secret, '{ apiKeys { totalCount } }');
    expect(codeOf(list)).toBe('SERVICE_UNAVAILABLE');
    expect(list.errors?.[0]?.message).toContain('did not answer');
    const change = await t.call(account.primary.secret, 'mutation { createClient(input: { name: "Stalled" }) { id } }');
    expect(codeOf(change)).toBe('SERVICE_UNAVAILABLE');
    // The cached key needs no database: the request that only authenticates still works.
    expect((await t.call(account.primary.secret, VIEWER)).status).toBe(200);

    proxy.resume();
    expect((await t.call(account.primary.secret, '{ apiKeys { totalCount } }')).status).toBe(200);
  });
});
