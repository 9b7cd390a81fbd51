import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPool, RowDataPacket } from 'mysql2/promise';
import { ApiKeyKind } from '../src/shared/api-key-kind';
import { generateKey } from '../src/api-keys/key-material';
import { createDataSource } from '../src/db/data-source';
import { ALL_PERMISSIONS, Permission } from '../src/shared/permission';
import { UNTHROTTLED_RATE_LIMIT } from './support/api';
import { mysqlUrl, withMysql } from './support/databases';
import { arg, numberArg } from './support/args';
import { ENTITIES } from '../src/services/entities';

/**
 * Seeds a fresh MySQL/MariaDB database with `keys` admin keys, fast: the
 * schema from keyward's own migrations, then multi-row INSERTs of a few
 * thousand rows, two in flight while the next batch is generated. Keys come
 * from the real key-material module (generateKey: format, checksum, SHA-256),
 * 25 per account (a primary and 24 more, the per-account limit), each
 * account's plan limit set high enough that no benchmark is throttled.
 *
 * Only hashes reach the database. An evenly spread sample of the raw keys is
 * kept in bench/.data/<database>.json so benchmarks can present them.
 *
 *   npm run bench:seed -- --keys 1000000 [--database keyward_bench] [--sample 50000]
 */

export const KEYS_PER_ACCOUNT = 25;
const BATCH_ROWS = 5_000;
const IN_FLIGHT = 2;
const DATA_DIR = join(__dirname, '.data');

export interface SeededDatabase {
  database: string;
  keys: number;
  accounts: number;
  seededAt: string;
  seconds: number;
  /** Raw keys, spread evenly over the whole table. */
  sample: string[];
}

export async function seed(database: string, keys: number, sampleSize: number): Promise<SeededDatabase> {
  // This drops the database first: never let a typo point it at something that is not a benchmark's.
  if (!/^keyward_bench\w*$/.test(database)) throw new Error(`refusing to seed "${database}": the name must start with keyward_bench`);
  const started = Date.now();
  await withMysql(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  });
  const dataSource = await createDataSource(mysqlUrl(database), { entities: ENTITIES });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  const accounts = Math.ceil(keys / KEYS_PER_ACCOUNT);
  const pool = createPool({ uri: mysqlUrl(database), connectionLimit: IN_FLIGHT, timezone: 'Z' });
  const now = new Date();
  try {
    await inBatches(accounts, async (from, to) => {
      const rows = [];
      for (let id = from + 1; id <= to; id++) rows.push([id, `Bench account ${id}`, UNTHROTTLED_RATE_LIMIT, 1, now, now]);
      await pool.query('INSERT INTO accounts (id, name, rate_limit_per_minute, developer_api_enabled, created_at, updated_at) VALUES ?', [
        rows,
      ]);
    });

    const every = Math.max(1, Math.floor(keys / sampleSize));
    const sample: string[] = [];
    const prefixes = new Set<string>();
    let inserted = 0;
    await inBatches(keys, async (from, to) => {
      const rows = [];
      for (let n = from; n < to; n++) {
        let key = generateKey(ApiKeyKind.ADMIN);
        // The column is unique under MariaDB's default collation, which ignores case: 36^8 prefixes
        // as it compares them, so among a million a clash is likely (about one run in five).
        while (prefixes.has(key.prefix.toLowerCase())) key = generateKey(ApiKeyKind.ADMIN);
        prefixes.add(key.prefix.toLowerCase());
        if (n % every === 0 && sample.length < sampleSize) sample.push(key.secret);
        const primary = n % KEYS_PER_ACCOUNT === 0;
        const permissions = primary ? ALL_PERMISSIONS : [Permission.LEADS_READ, Permission.KEYS_VERIFY];
        rows.push([
          n + 1,
          Math.floor(n / KEYS_PER_ACCOUNT) + 1,
          ApiKeyKind.ADMIN,
          primary ? 'Primary admin key' : `Bench key ${n + 1}`,
          key.prefix,
          key.hash,
          permissions.join(','),
          primary ? 1 : 0,
          1,
          now,
          now,
        ]);
      }
      await pool.query(
        'INSERT INTO api_keys (id, account_id, kind, name, prefix, key_hash, permissions, is_primary, active, created_at, updated_at) VALUES ?',
        [rows],
      );
      inserted += rows.length;
      if (inserted % 100_000 < BATCH_ROWS) process.stderr.write(`  ${inserted} keys (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    });
    const [[count]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM api_keys');
    if (Number(count.n) !== keys) throw new Error(`expected ${keys} keys, the table holds ${count.n}`);
    await pool.query('ANALYZE TABLE api_keys, accounts');

    const seeded: SeededDatabase = {
      database,
      keys,
      accounts,
      seededAt: new Date().toISOString(),
      seconds: (Date.now() - started) / 1000,
      sample,
    };
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(sampleFile(database), JSON.stringify(seeded));
    return seeded;
  } finally {
    await pool.end();
  }
}

/**
 * The seeded database if it is there with exactly `keys` keys and its sample,
 * else a fresh seeding: the million-key database is made once and reused.
 */
export async function seeded(database: string, keys: number, sampleSize: number): Promise<SeededDatabase> {
  const file = sampleFile(database);
  if (existsSync(file)) {
    const known = JSON.parse(readFileSync(file, 'utf8')) as SeededDatabase;
    const rows = await withMysql(async (c) => {
      const [result] = await c.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM api_keys`);
      return Number(result[0].n);
    }, database).catch(() => -1);
    if (known.keys === keys && rows === keys && known.sample.length >= Math.min(sampleSize, keys)) return known;
  }
  process.stderr.write(`seeding ${database} with ${keys} keys…\n`);
  return seed(database, keys, sampleSize);
}

function sampleFile(database: string): string {
  return join(DATA_DIR, `${database}.json`);
}

/** Runs `work` over [0, total) in BATCH_ROWS slices, IN_FLIGHT at a time, in order of start. */
async function inBatches(total: number, work: (from: number, to: number) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  for (let from = 0; from < total; from += BATCH_ROWS) {
    const task: Promise<void> = work(from, Math.min(total, from + BATCH_ROWS)).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= IN_FLIGHT) await Promise.race(running);
  }
  await Promise.all(running);
}

async function main(): Promise<void> {
  const keys = numberArg('keys', 1_000_000);
  const database = arg('database', 'keyward_bench');
  const result = await seed(database, keys, numberArg('sample', 50_000));
  console.log(
    `seeded ${database}: ${result.keys} keys in ${result.accounts} accounts in ${result.seconds.toFixed(1)} s ` +
      `(${(result.keys / result.seconds).toFixed(0)} keys/s); ${result.sample.length} raw keys kept in bench/.data/${database}.json`,
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
