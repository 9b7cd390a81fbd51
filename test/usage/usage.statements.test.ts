import { usageUpsert, UsageTable } from '../../src/usage/usage.statements';

const NAMES: UsageTable = {
  table: '"usage_buckets"',
  keyId: '"key_id"',
  bucketStart: '"bucket_start"',
  outcome: '"outcome"',
  accountId: '"account_id"',
  clientId: '"client_id"',
  count: '"count"',
};

const ROWS = [
  { keyId: 1, bucketStart: '2026-12-03 12:00:00.000', outcome: 'VALID', accountId: 7, clientId: null, count: 5 },
  { keyId: 2, bucketStart: '2026-12-03 12:00:00.000', outcome: 'EXPIRED', accountId: 7, clientId: 3, count: 1 },
];

describe('usageUpsert: one statement for a batch of counters, adding to the rows there', () => {
  it('adds with ON CONFLICT … excluded on SQLite', () => {
    const { sql, params } = usageUpsert('sqlite', NAMES, ROWS);
    expect(sql).toBe(
      'INSERT INTO "usage_buckets" ("key_id", "bucket_start", "outcome", "account_id", "client_id", "count") ' +
        'VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT ("key_id", "bucket_start", "outcome") DO UPDATE SET "count" = "count" + excluded."count"',
    );
    expect(params).toEqual([1, '2026-12-03 12:00:00.000', 'VALID', 7, null, 5, 2, '2026-12-03 12:00:00.000', 'EXPIRED', 7, 3, 1]);
  });

  it('adds with ON DUPLICATE KEY UPDATE … VALUES() on MySQL and MariaDB', () => {
    const { sql } = usageUpsert('mysql', NAMES, ROWS.slice(0, 1));
    expect(sql).toMatch(/VALUES \(\?, \?, \?, \?, \?, \?\) ON DUPLICATE KEY UPDATE "count" = "count" \+ VALUES\("count"\)$/);
  });

  it('refuses an empty batch rather than write invalid SQL', () => {
    expect(() => usageUpsert('sqlite', NAMES, [])).toThrow(/at least one row/);
  });
});
