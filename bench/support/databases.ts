import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';

/** The MySQL/MariaDB server the benchmarks use (a database of their own on it), and Redis. */
export const MYSQL_SERVER_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

export function mysqlUrl(database: string): string {
  const url = new URL(MYSQL_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** An embedded database in a temporary directory, removed by drop(). */
export function tempSqlite(): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  return { url: `sqlite:${join(dir, 'keyward.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty database on the MySQL server, dropped by drop(). */
export async function tempMysql(label: string): Promise<TempDatabase> {
  const name = `keyward_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withMysql((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  return { url: mysqlUrl(name), drop: () => withMysql((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined) };
}

export async function withMysql<T>(work: (c: Connection) => Promise<T>, database?: string): Promise<T> {
  const connection = await createConnection({ uri: database ? mysqlUrl(database) : MYSQL_SERVER_URL });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** The server's version and InnoDB buffer pool: what decides whether a million rows stay in memory. */
export async function describeMysql(): Promise<string> {
  return withMysql(async (c) => {
    const [rows] = await c.query('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool');
    const { version, pool } = (rows as Array<{ version: string; pool: number }>)[0];
    return `${version}, innodb_buffer_pool_size ${(Number(pool) / 1024 / 1024).toFixed(0)} MiB`;
  });
}
