import { setTimeout as sleep } from 'node:timers/promises';
import { leaseSize } from '../../src/rate-limits/pool-leases';
import { codeOf, dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { useSpawnedServers } from '../support/harness';
import { ServerProcess } from '../support/server-process';

const VIEWER = '{ viewer { prefix } }';
const LAST_USED = 'query($id: ID!) { apiKey(id: $id) { lastUsedAt } }';
/** The contract: a change made on one instance is honoured by the others within a second. */
const PROPAGATION_MS = 1000;

/**
 * Several instances behind a load balancer share a MySQL database and a
 * Redis. The SQLite run has neither — the embedded database belongs to one
 * process, and without REDIS_URL each instance is on its own by design (its
 * cache TTL is the bound, tested in test/auth/verification-cache.test.ts) —
 * so this suite runs only with TEST_DATABASE_URL and TEST_REDIS_URL.
 */
const shared = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

(shared ? describe : describe.skip)('two instances, one system', () => {
  const t = useSpawnedServers([
    { LAST_USED_FLUSH_SECONDS: '0.2' },
    // B writes last-used only when it stops, so that its landing proves the shutdown flush.
    { LAST_USED_FLUSH_SECONDS: '3600' },
  ]);
  const [a, b] = t.instances;

  const on = (server: ServerProcess, secret: string, query = VIEWER, variables?: Record<string, unknown>) =>
    graphql(server.url, { as: secret, query, variables });
  const onA = async (query: string, variables: Record<string, unknown>) => dataOf(await on(a, t.account.primary.secret, query, variables));

  async function cacheHits(server: ServerProcess): Promise<number> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/^keyward_key_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  /** Uses the key on B until B answers it from its cache. */
  async function cachedOnB(secret: string): Promise<void> {
    dataOf(await on(b, secret));
    const hits = await cacheHits(b);
    dataOf(await on(b, secret));
    expect(await cacheHits(b)).toBe(hits + 1);
  }

  /** Asks B until its answer is no longer a success; how long that took, or Infinity. */
  async function refusedByB(secret: string): Promise<{ elapsed: number; res: GraphQLResponse }> {
    const started = Date.now();
    for (;;) {
      const res = await on(b, secret);
      const elapsed = Date.now() - started;
      if (res.status !== 200) return { elapsed, res };
      if (elapsed > 3 * PROPAGATION_MS) return { elapsed: Infinity, res };
      await sleep(20);
    }
  }

  it('a key revoked on A is refused by B within a second', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    await cachedOnB(key.secret);
    await onA('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
    const { elapsed, res } = await refusedByB(key.secret);
    expect(elapsed).toBeLessThan(PROPAGATION_MS);
    expect(res.status).toBe(401);
    expect(res.errors?.[0].message).toMatch(/was revoked/);
  });

  it('a key reset on A: B refuses the old value within a second and accepts the new', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    await cachedOnB(key.secret);
    const reset = await onA('mutation($id: ID!) { resetApiKey(id: $id) { secret } }', { id: key.id });
    const { elapsed, res } = await refusedByB(key.secret);
    expect(elapsed).toBeLessThan(PROPAGATION_MS);
    expect(res.errors?.[0].message).toMatch(/was reset/);
    expect(dataOf(await on(b, reset.resetApiKey.secret)).viewer.prefix).not.toBeNull();
  });

  it("an account's Developer API flag turned off on A closes it on B within a second", async () => {
    const tenant = await t.seed.account();
    await cachedOnB(tenant.primary.secret);
    await graphql(a.url, {
      as: t.operatorToken,
      query: 'mutation($id: ID!) { updateAccount(id: $id, input: { developerApiEnabled: false }) { id } }',
      variables: { id: tenant.id },
    }).then(dataOf);
    const { elapsed, res } = await refusedByB(tenant.primary.secret);
    expect(elapsed).toBeLessThan(PROPAGATION_MS);
    expect(res.status).toBe(403);
    expect(codeOf(res)).toBe('DEVELOPER_API_DISABLED');
  });

  it("a client renamed on A: B's verifications name it anew within a second", async () => {
    const client = dataOf(
      await on(a, t.account.primary.secret, 'mutation { createClient(input: { name: "Old name" }) { id } }'),
    ).createClient;
    const key = await t.seed.key(t.account.primary.secret, { clientId: client.id });
    const clientOnB = async () =>
      dataOf(
        await graphql(b.url, {
          as: t.operatorToken,
          query: 'query($key: String!) { verifyApiKey(key: $key) { client { name } } }',
          variables: { key: key.secret },
        }),
      ).verifyApiKey.client.name;
    expect(await clientOnB()).toBe('Old name');
    await onA('mutation($id: ID!) { renameClient(id: $id, name: "New name") { id } }', { id: client.id });
    const started = Date.now();
    while ((await clientOnB()) !== 'New name' && Date.now() - started < 3 * PROPAGATION_MS) await sleep(20);
    expect(Date.now() - started).toBeLessThan(PROPAGATION_MS);
  });

  it('the shared pool holds across both: A and B together admit no more than the limit, and refuse with 429', async () => {
    const LIMIT = 100;
    const tenant = await t.seed.account();
    await graphql(a.url, {
      as: t.operatorToken,
      query: 'mutation($id: ID!, $limit: Int!) { updateAccount(id: $id, input: { rateLimitPerMinute: $limit }) { id } }',
      variables: { id: tenant.id, limit: LIMIT },
    }).then(dataOf);
    const statuses: number[] = [];
    for (let sent = 0; sent < 1.6 * LIMIT; sent += 8) {
      const batch = Array.from({ length: 8 }, (_, i) => on((sent + i) % 2 === 0 ? a : b, tenant.primary.secret).then((res) => res.status));
      statuses.push(...(await Promise.all(batch)));
    }
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    // Each instance may hold a few points the other cannot see (src/rate-limits/pool-leases.ts).
    expect(admitted).toBeGreaterThanOrEqual(LIMIT - 2 * leaseSize(LIMIT));
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);
  });

  it('last-used from both lands: A by its timer, B when it is stopped with SIGTERM', async () => {
    const usedOnA = await t.seed.key(t.account.primary.secret);
    const usedOnB = await t.seed.key(t.account.primary.secret);
    dataOf(await on(a, usedOnA.secret));
    dataOf(await on(b, usedOnB.secret));
    const lastUsed = async (id: string): Promise<string | null> => (await onA(LAST_USED, { id })).apiKey.lastUsedAt;

    let fromA: string | null = null;
    for (let tries = 0; tries < 50 && fromA === null; tries++) {
      await sleep(100);
      fromA = await lastUsed(usedOnA.id);
    }
    expect(fromA).not.toBeNull();
    expect(await lastUsed(usedOnB.id)).toBeNull();

    expect(await b.terminate()).toBe(0);
    expect(await lastUsed(usedOnB.id)).not.toBeNull();
  });
});
