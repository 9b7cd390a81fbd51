import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { createLogger } from '../../src/logging/logger';
import { startServer } from '../../src/app/server';
import { dataOf, graphql } from '../support/graphql';
import { Seed, SeededAccount, SeededKey } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { configWith } from '../../src/config/config';

const VIEWER = '{ viewer { prefix } }';
const LAST_USED = 'query($id: ID!) { apiKey(id: $id) { lastUsedAt } }';
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

/** Statements that write last-used times. */
function lastUsedWrites(server: TestServer): string[] {
  return server.sql.statements.filter((sql) => /^\s*UPDATE/i.test(sql) && /last_used_at/i.test(sql));
}

async function lastUsedAt(server: TestServer, as: string, id: string): Promise<string | null> {
  return dataOf(await graphql(server.url, { as, query: LAST_USED, variables: { id } })).apiKey.lastUsedAt;
}

async function lastUsedIp(server: TestServer, id: string): Promise<string | null> {
  const row = await server.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(id) });
  return row.lastUsedIp;
}

describe('lastUsedAt and lastUsedIp', () => {
  let server: TestServer;
  let seed: Seed;
  let account: SeededAccount;

  beforeAll(async () => {
    server = await startTestServer();
    seed = new Seed(server);
    account = await seed.account();
  });
  afterAll(() => server.stop());

  const flush = () => server.server.services.lastUsed.flush();
  const use = async (key: SeededKey) => dataOf(await graphql(server.url, { as: key.secret, query: VIEWER }));

  it('are null until the key is used, then set by the next flush, with the address', async () => {
    const key = await seed.key(account.primary.secret);
    await flush();
    expect(await lastUsedAt(server, account.primary.secret, key.id)).toBeNull();
    expect(await lastUsedIp(server, key.id)).toBeNull();

    const before = Date.now();
    await use(key);
    await flush();
    const at = await lastUsedAt(server, account.primary.secret, key.id);
    expect(Date.parse(at!)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(at!)).toBeLessThanOrEqual(Date.now());
    expect(await lastUsedIp(server, key.id)).toMatch(LOOPBACK);
  });

  it('are written behind: nothing per request, one statement per flush for every key used', async () => {
    await flush();
    const keys = await Promise.all([seed.key(account.primary.secret), seed.key(account.primary.secret), seed.key(account.primary.secret)]);
    server.sql.reset();
    for (let round = 0; round < 3; round++) for (const key of keys) await use(key);
    expect(lastUsedWrites(server)).toEqual([]);

    await flush();
    expect(lastUsedWrites(server)).toHaveLength(1);
    for (const key of keys) expect(await lastUsedAt(server, account.primary.secret, key.id)).not.toBeNull();
  });

  it('only move forward: a later time written elsewhere is kept', async () => {
    const key = await seed.key(account.primary.secret);
    const later = new Date(Date.now() + 3_600_000);
    // As another instance that saw a later use would have written it.
    await server.server.dataSource.getRepository(ApiKey).update({ id: Number(key.id) }, { lastUsedAt: later, lastUsedIp: '203.0.113.9' });
    await use(key);
    await flush();
    expect(await lastUsedAt(server, account.primary.secret, key.id)).toBe(later.toISOString());
    expect(await lastUsedIp(server, key.id)).toBe('203.0.113.9');
  });

  it('are not touched by a refused request', async () => {
    const key = await seed.key(account.primary.secret);
    await graphql(server.url, { as: account.primary.secret, query: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }', variables: { id: key.id } });
    expect((await graphql(server.url, { as: key.secret, query: VIEWER })).status).toBe(401);
    await flush();
    expect(await lastUsedAt(server, account.primary.secret, key.id)).toBeNull();
  });

  it('are flushed by the timer every LAST_USED_FLUSH_SECONDS', async () => {
    const quick = await startTestServer({ lastUsedFlushMs: 100 });
    try {
      const tenant = await new Seed(quick).account();
      dataOf(await graphql(quick.url, { as: tenant.primary.secret, query: VIEWER }));
      let at: string | null = null;
      for (let tries = 0; tries < 50 && at === null; tries++) {
        await sleep(100);
        at = (await quick.server.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(tenant.primary.id) })).lastUsedAt?.toISOString() ?? null;
      }
      expect(at).not.toBeNull();
    } finally {
      await quick.stop();
    }
  });

  it('are flushed by a graceful stop', async () => {
    const first = await startTestServer();
    const tenant = await new Seed(first).account();
    dataOf(await graphql(first.url, { as: tenant.primary.secret, query: VIEWER }));
    expect(first.server.services.lastUsed.pendingCount).toBe(1);
    await first.server.stop();

    const again = await startServer(
      configWith({ port: 0, databaseUrl: first.database.url, platformAdminToken: first.operatorToken, logLevel: 'silent' }),
      { logger: createLogger('silent') },
    );
    try {
      const row = await again.dataSource.getRepository(ApiKey).findOneByOrFail({ id: Number(tenant.primary.id) });
      expect(row.lastUsedAt).toBeInstanceOf(Date);
      expect(row.lastUsedIp).toMatch(LOOPBACK);
    } finally {
      await again.stop();
      await first.database.drop();
    }
  });
});
