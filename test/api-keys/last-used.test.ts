import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { SeededKey } from '../support/seed';
import { serverDatabase } from '../support/database';
import { useTestServer } from '../support/harness';
import { startTestServer, TestServer, withTestServer } from '../support/server';

const VIEWER = '{ viewer { prefix } }';
const LAST_USED = 'query($id: ID!) { apiKey(id: $id) { lastUsedAt } }';
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

/** Statements that write last-used times. */
function lastUsedWrites(server: Pick<TestServer, 'sql'>): string[] {
  return server.sql.statements.filter((sql) => /^\s*UPDATE/i.test(sql) && /last_used_at/i.test(sql));
}

async function lastUsedAt(server: Pick<TestServer, 'data'>, as: string, id: string): Promise<string | null> {
  return (await server.data(as, LAST_USED, { id })).apiKey.lastUsedAt;
}

async function lastUsedIp(server: Pick<TestServer, 'server'>, id: string): Promise<string | null> {
  const row = await server.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(id) });
  return row.lastUsedIp;
}

describe('lastUsedAt and lastUsedIp', () => {
  const t = useTestServer();

  const flush = () => t.server.services.lastUsed.flush();
  const use = async (key: SeededKey) => await t.data(key.secret, VIEWER);

  it('are null until the key is used, then set by the next flush, with the address', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    await flush();
    expect(await lastUsedAt(t, t.account.primary.secret, key.id)).toBeNull();
    expect(await lastUsedIp(t, key.id)).toBeNull();

    const before = Date.now();
    await use(key);
    await flush();
    const at = await lastUsedAt(t, t.account.primary.secret, key.id);
    expect(Date.parse(at!)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(at!)).toBeLessThanOrEqual(Date.now());
    expect(await lastUsedIp(t, key.id)).toMatch(LOOPBACK);
  });

  it('are written behind: nothing per request, one statement per flush for every key used', async () => {
    await flush();
    const keys = await Promise.all([
      t.seed.key(t.account.primary.secret),
      t.seed.key(t.account.primary.secret),
      t.seed.key(t.account.primary.secret),
    ]);
    t.sql.reset();
    for (let round = 0; round < 3; round++) for (const key of keys) await use(key);
    expect(lastUsedWrites(t)).toEqual([]);

    await flush();
    expect(lastUsedWrites(t)).toHaveLength(1);
    for (const key of keys) expect(await lastUsedAt(t, t.account.primary.secret, key.id)).not.toBeNull();
  });

  it('only move forward: a later time written elsewhere is kept', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    const later = new Date(Date.now() + 3_600_000);
    // As another instance that saw a later use would have written it.
    await t.server.dataSource.getRepository(ApiKey).update({ id: Number(key.id) }, { lastUsedAt: later, lastUsedIp: '203.0.113.9' });
    await use(key);
    await flush();
    expect(await lastUsedAt(t, t.account.primary.secret, key.id)).toBe(later.toISOString());
    expect(await lastUsedIp(t, key.id)).toBe('203.0.113.9');
  });

  it('are not touched by a refused request', async () => {
    const key = await t.seed.key(t.account.primary.secret);
    await t.call(t.account.primary.secret, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', { id: key.id });
    expect((await t.call(key.secret, VIEWER)).status).toBe(401);
    await flush();
    expect(await lastUsedAt(t, t.account.primary.secret, key.id)).toBeNull();
  });

  it('are flushed by the timer every LAST_USED_FLUSH_SECONDS', async () => {
    await withTestServer({ lastUsedFlushMs: 100 }, async (quick) => {
      const tenant = await quick.seed.account();
      await quick.data(tenant.primary.secret, VIEWER);
      let at: string | null = null;
      for (let tries = 0; tries < 50 && at === null; tries++) {
        await sleep(100);
        at =
          (
            await quick.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(tenant.primary.id) })
          ).lastUsedAt?.toISOString() ?? null;
      }
      expect(at).not.toBeNull();
    });
  });

  it('are flushed by a graceful stop', async () => {
    // The test's own database, so that it outlives the server that is stopped.
    const database = await serverDatabase();
    try {
      const first = await startTestServer({ databaseUrl: database.url });
      const tenant = await first.seed.account();
      await first.data(tenant.primary.secret, VIEWER);
      expect(first.server.services.lastUsed.pendingCount).toBe(1);
      await first.server.stop();

      await withTestServer({ databaseUrl: database.url }, async (again) => {
        const row = await again.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(tenant.primary.id) });
        expect(row.lastUsedAt).toBeInstanceOf(Date);
        expect(row.lastUsedIp).toMatch(LOOPBACK);
      });
    } finally {
      await database.drop();
    }
  });
});
