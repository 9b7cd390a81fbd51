import { settles } from '../support/settles';
import { graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { withTestServer } from '../support/server';
import { UsageOutcome } from '../../src/usage/usage-outcome';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import {
  byOutcome,
  DAY,
  developerOf,
  flushUsage,
  HOUR,
  keyUsage,
  requestWith,
  thisHour,
  USAGE_TEST_CONFIG,
  verifyCode,
} from './usage.fixtures';

/*
 * Counts are written behind: no statement per use, one upsert per flush
 * however many keys and outcomes it carries, adding to the rows already
 * there; what is left is written on a graceful shutdown; rows older than
 * USAGE_RETENTION_DAYS are pruned in bounded batches.
 */
describe('usage written behind', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET });
  const usageStatements = () => t.sql.statements.filter((sql) => /usage_buckets/.test(sql));

  it('writes nothing per use and one upsert per flush for many keys and outcomes, adding to the rows there', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const keys = await Promise.all(Array.from({ length: 5 }, () => t.seed.key(developer)));
    await graphql(t.url, {
      as: developer,
      query: 'mutation($id: ID!) { deactivateApiKey(id: $id) { id } }',
      variables: { id: keys[4].id },
    });

    const useAll = async () => {
      for (const key of keys) {
        await verifyCode(t, developer, key.secret);
        await requestWith(t, key.secret);
      }
    };
    t.sql.reset();
    await useAll();
    expect(usageStatements()).toEqual([]);
    await flushUsage(t);
    expect(usageStatements()).toHaveLength(1);
    expect(usageStatements()[0]).toMatch(/^INSERT INTO/);

    t.sql.reset();
    await useAll();
    await flushUsage(t);
    expect(usageStatements()).toHaveLength(1);
    // Nothing pending: a flush writes nothing.
    await flushUsage(t);
    expect(usageStatements()).toHaveLength(1);

    for (const key of keys.slice(0, 4)) expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 4 });
    expect(byOutcome(await keyUsage(t, developer, keys[4].id, thisHour(t)))).toEqual({ INACTIVE: 4 });
  });

  it('keeps the counts of a flush that failed and writes them with the next one, added to the counts since', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const key = await t.seed.key(developer);
    const { dataSource } = t.server;
    expect(await requestWith(t, key.secret)).toBe(200);
    // The table gone for a moment: the flush fails (and logs), its counts wait in memory.
    await dataSource.query('ALTER TABLE usage_buckets RENAME TO usage_buckets_away');
    try {
      await flushUsage(t);
      expect(t.server.services.usage.pendingCount).toBe(1);
    } finally {
      await dataSource.query('ALTER TABLE usage_buckets_away RENAME TO usage_buckets');
    }
    expect(await requestWith(t, key.secret)).toBe(200);
    await flushUsage(t);
    expect(t.server.services.usage.pendingCount).toBe(0);
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 2 });
  });

  it('writes a burst of 5,000 distinct counters at once, without waiting for the timer, 1,000 per statement', async () => {
    const { usage } = t.server.services;
    // Far-off ids of keys that never existed: the counters are what is under test here.
    const accountId = 1_000_000;
    t.sql.reset();
    for (let id = 1; id <= 5_000; id++) usage.record({ id: 1_000_000 + id, accountId, clientId: null }, UsageOutcome.VALID);
    // The early flush took them (it starts on the next tick); this flush only waits for it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(usage.pendingCount).toBe(0);
    await usage.flush();
    expect(usageStatements()).toHaveLength(5);
  });

  it('writes what is still pending when a server shuts down gracefully, adding to what another instance counted', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const key = await t.seed.key(developer);
    for (let i = 0; i < 2; i++) expect(await requestWith(t, key.secret)).toBe(200);
    await flushUsage(t);
    await withTestServer({ databaseUrl: t.database.url, authJwtSecret: TEST_JWT_SECRET, ...USAGE_TEST_CONFIG }, async (other) => {
      for (let i = 0; i < 3; i++) expect(await requestWith(other, key.secret)).toBe(200);
      expect(other.server.services.usage.pendingCount).toBe(1);
    });
    expect(byOutcome(await keyUsage(t, developer, key.id, thisHour(t)))).toEqual({ VALID: 2 + 3 });
  });
});

describe('usage past USAGE_RETENTION_DAYS', () => {
  const t = useTestServer({ ...USAGE_TEST_CONFIG, authJwtSecret: TEST_JWT_SECRET, usageRetentionDays: 30 });

  it('is pruned by the server clock, in bounded batches, keeping what is recent', async () => {
    const account = await t.seed.account();
    const developer = await developerOf(account.id);
    const keys = await Promise.all(Array.from({ length: 5 }, () => t.seed.key(developer)));
    const old = thisHour(t);
    for (const key of keys) await verifyCode(t, developer, key.secret);
    await flushUsage(t);

    t.clock.advance(29 * DAY);
    await verifyCode(t, developer, keys[0].secret);
    await flushUsage(t);
    expect(await t.server.services.usage.prune()).toBe(0);
    expect(byOutcome(await keyUsage(t, developer, keys[0].id, old))).toEqual({ VALID: 1 });

    t.clock.advance(DAY + 2 * HOUR);
    t.sql.reset();
    // Five old rows, two per DELETE: three statements, the last one short.
    expect(await t.server.services.usage.prune(2)).toBe(5);
    expect(t.sql.statements.filter((sql) => /^DELETE FROM/.test(sql))).toHaveLength(3);
    for (const key of keys) expect(await keyUsage(t, developer, key.id, old)).toEqual([]);
    const recent = { from: t.clock.now() - 2 * DAY, to: t.clock.now() };
    expect(byOutcome(await keyUsage(t, developer, keys[0].id, recent))).toEqual({ VALID: 1 });
  });
});

describe('the usage timer', () => {
  it('flushes every LAST_USED_FLUSH_SECONDS, and prunes on its first tick of each hour by the server clock', async () => {
    await withTestServer({ lastUsedFlushMs: 100, usageRetentionDays: 1, authJwtSecret: TEST_JWT_SECRET }, async (quick) => {
      const account = await quick.seed.account();
      const developer = await developerOf(account.id);
      const key = await quick.seed.key(developer);
      const counted = async (range: { from: number; to: number }) => byOutcome(await keyUsage(quick, developer, key.id, range)).VALID ?? 0;
      const old = thisHour(quick);
      await verifyCode(quick, developer, key.secret);
      expect(await settles(() => counted(old), 1)).toBe(1);

      // Two days on by the server's clock: the next tick is the first of a new hour, and prunes the old one.
      quick.clock.advance(2 * DAY);
      await verifyCode(quick, developer, key.secret);
      expect(await settles(() => counted(old), 0)).toBe(0);
      expect(await settles(() => counted(thisHour(quick)), 1)).toBe(1);
    });
  });
});
