import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from 'mysql2/promise';
import { withMysql } from './databases';

const MIB = 1024 * 1024;

/** What a table takes on the MySQL server, rows and indexes, in MiB. */
export async function tableFootprint(database: string, table: string): Promise<{ dataMib: number; indexMib: number }> {
  return withMysql(async (c) => {
    const [rows] = await c.query(
      'SELECT data_length AS data, index_length AS idx FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [database, table],
    );
    const [row] = rows as Array<{ data: number; idx: number }>;
    return { dataMib: Number(row?.data ?? 0) / MIB, indexMib: Number(row?.idx ?? 0) / MIB };
  });
}

/**
 * Runs `work` with InnoDB's buffer pool resized to `mib` (online, MariaDB
 * 10.2+ and MySQL 5.7+), and puts the old size back afterwards, however
 * `work` ends. A server-wide setting: only on request (`--buffer-pool-mib`).
 */
export async function withBufferPool<T>(mib: number | null, work: () => Promise<T>): Promise<T> {
  if (mib === null) return work();
  const original = await withMysql(poolBytes);
  await resize(mib * MIB);
  try {
    return await work();
  } finally {
    await resize(original);
  }
}

/**
 * Reads every page of the lookups' indexes once, so a server restarted since
 * the seeding does not measure its first reads from disk: the key hash index,
 * the key rows (`name` is in no secondary index) and the accounts they join.
 * With a buffer pool smaller than these, the scan only churns it.
 */
export async function warmLookupPages(database: string): Promise<number> {
  const started = Date.now();
  await withMysql(async (c) => {
    await c.query('SELECT COUNT(key_hash) FROM api_keys FORCE INDEX (uq_api_keys_hash)');
    await c.query('SELECT COUNT(name) FROM api_keys FORCE INDEX (PRIMARY)');
    await c.query('SELECT COUNT(name) FROM accounts FORCE INDEX (PRIMARY)');
  }, database);
  return (Date.now() - started) / 1000;
}

async function poolBytes(c: Connection): Promise<number> {
  const [rows] = await c.query('SELECT @@innodb_buffer_pool_size AS size');
  return Number((rows as Array<{ size: number }>)[0].size);
}

/** Asks for the size and waits (up to a minute) until the pool's pages add up to it. */
async function resize(bytes: number): Promise<void> {
  await withMysql(async (c) => {
    await c.query('SET GLOBAL innodb_buffer_pool_size = ?', [bytes]);
    const [pageRows] = await c.query('SELECT @@innodb_page_size AS page');
    const pageBytes = Number((pageRows as Array<{ page: number }>)[0].page);
    for (let waited = 0; waited < 60_000; waited += 250) {
      // The resize runs in the background; the pool holds a few pages less than its size for its own use.
      const [rows] = await c.query("SHOW STATUS WHERE Variable_name = 'Innodb_buffer_pool_pages_total'");
      const pages = Number((rows as Array<{ Value: string }>)[0]?.Value ?? 0);
      if (Math.abs(pages * pageBytes - bytes) <= bytes * 0.05) return;
      await sleep(250);
    }
    throw new Error(`the buffer pool did not reach ${bytes / MIB} MiB within a minute`);
  });
}
