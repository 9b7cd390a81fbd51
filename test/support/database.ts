import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

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
    return {
      url: `sqlite:${join(dir, 'keyward.sqlite')}`,
      kind: 'sqlite',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `keyward_test_${randomBytes(6).toString('hex')}`;
  const admin = new URL(server);
  await withConnection(server, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  admin.pathname = `/${name}`;
  return {
    url: admin.toString(),
    kind: 'mysql',
    drop: () => withConnection(server, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)),
  };
}

async function withConnection(url: string, work: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<unknown>) {
  const connection = await createConnection({ uri: url });
  try {
    await work(connection);
  } finally {
    await connection.end();
  }
}
