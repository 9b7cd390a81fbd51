import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import { ConfigError } from '../config/config';
import { MIGRATIONS } from './migrations';

export type DatabaseKind = 'sqlite' | 'mysql';

export function databaseKind(databaseUrl: string): DatabaseKind {
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  if (/^(mysql|mariadb):\/\//.test(databaseUrl)) return 'mysql';
  throw new ConfigError(`DATABASE_URL must start with sqlite: or mysql:// (got "${redactUrl(databaseUrl)}")`);
}

/** For start-up lines and errors: never print a database password. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export interface DataSourceExtras {
  /** The tables' classes: the domains own them, and the wiring (src/services/entities.ts) lists them. */
  entities: NonNullable<DataSourceOptions['entities']>;
  logger?: Logger;
}

export function dataSourceOptions(
  databaseUrl: string,
  extras: DataSourceExtras,
  mysqlFlavour: 'mysql' | 'mariadb' = 'mysql',
): DataSourceOptions {
  const common = {
    entities: extras.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: extras.logger ? ['query' as const, 'error' as const] : false,
    logger: extras.logger,
  };
  if (databaseKind(databaseUrl) === 'sqlite') {
    const database = databaseUrl.slice('sqlite:'.length);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return { ...common, type: 'better-sqlite3', database, enableWAL: database !== ':memory:', timeout: 5000 };
  }
  return {
    ...common,
    type: mysqlFlavour,
    url: databaseUrl.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    extra: { connectionLimit: 20 },
  };
}

/**
 * Builds the DataSource for a URL. For mysql:// it first asks the server what
 * it is: TypeORM reads MariaDB's catalogue differently (its column defaults
 * are quoted), and only type "mariadb" makes it compare schemas correctly.
 */
export async function createDataSource(databaseUrl: string, extras: DataSourceExtras): Promise<DataSource> {
  const flavour = databaseKind(databaseUrl) === 'mysql' ? await detectMysqlFlavour(databaseUrl) : 'mysql';
  return new DataSource(dataSourceOptions(databaseUrl, extras, flavour));
}

async function detectMysqlFlavour(databaseUrl: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection({ uri: databaseUrl.replace(/^mariadb:/, 'mysql:') });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
    return String(rows[0].version).toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}
