import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';
import { createDataSource } from '../../src/db/data-source';

export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new SQLite file by default, or
 * a new database on the server named by TEST_DATABASE_URL (mysql://…), so test
 * files can run in parallel without seeing each other's rows.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-test-'));
    return sqliteIn(dir);
  }
  const name = `keyward_test_${randomBytes(6).toString('hex')}`;
  await withConnection(server, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  return mysqlDatabase(server, name);
}

/**
 * A fresh database for a test server. On SQLite it is a copy of a template
 * migrated once, so the server's own migration run is a single no-op query.
 * On MySQL it is empty and the server migrates it: there CREATE TABLE is the
 * cost, whether it comes from a migration or from a copy of a template.
 */
export async function serverDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DATABASE_URL) return freshDatabase();
  const template = await sqliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'keyward-test-'));
  copyFileSync(template, join(dir, 'keyward.sqlite'));
  return sqliteIn(dir);
}

function sqliteIn(dir: string): TestDatabase {
  return {
    url: `sqlite:${join(dir, 'keyward.sqlite')}`,
    kind: 'sqlite',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function mysqlDatabase(server: string, name: string): TestDatabase {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'mysql',
    drop: () => withConnection(server, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)),
  };
}

/**
 * The template is named by the migrations' source (every file beside them)
 * and TypeORM's version, so a changed migration gets a template of its own and
 * a stale one is never copied. It outlives the run, like jest's own cache.
 */
function templateName(): string {
  const folder = dirname(require.resolve('../../src/db/migrations'));
  const hash = createHash('sha256').update(readFileSync(join(dirname(require.resolve('typeorm')), 'package.json')));
  for (const file of readdirSync(folder).sort()) hash.update(file).update(readFileSync(join(folder, file)));
  return `keyward_template_${hash.digest('hex').slice(0, 16)}`;
}

async function migrate(url: string): Promise<void> {
  // Migrations need no entities; the server's own options otherwise (table name, WAL).
  const dataSource = await createDataSource(url, { entities: [] });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    // Everything into the main file, so a copy of that file alone is the whole database.
    await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await dataSource.destroy();
  }
}

async function sqliteTemplate(): Promise<string> {
  const file = join(tmpdir(), 'keyward-test-templates', `${templateName()}.sqlite`);
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true });
  const dir = mkdtempSync(join(dirname(file), 'building-'));
  try {
    await migrate(`sqlite:${join(dir, 'template.sqlite')}`);
    // A rename is atomic: a worker building the same template at once can only replace it with its equal.
    renameSync(join(dir, 'template.sqlite'), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

async function withConnection(url: string, work: (c: Connection) => Promise<unknown>) {
  const connection = await createConnection({ uri: url });
  try {
    await work(connection);
  } finally {
    await connection.end();
  }
}
