import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../src/logging/logger';
import { startServer } from '../src/app/server';
import { SqlCounter } from '../test/support/server';
import { createClient, createKey, graphql, unthrottledAccount } from './support/api';
import { arg } from './support/args';
import { printMachine, table } from './support/report';
import { selectedSetups, Setup } from './support/rounds';
import { configWith } from '../src/config/config';

/**
 * SQL statements per page of keys with their clients and last-used, counted
 * through TypeORM's logger (as test/support/server.ts SqlCounter does), for
 * pages of 10 and 50 (target: a constant, at most 4). "Cold": the caller's
 * key is not in the verification cache, so authenticating it costs its
 * lookup; "warm": it is.
 *
 *   npm run bench:sql [-- --only sqlite|mysql]
 */

const CLIENTS = 3;
const KEYS_PER_CLIENT = 18;
const ADMIN_KEYS = 6;
const PAGE_QUERY = `query($first: Int!) {
  apiKeys(first: $first) {
    totalCount
    edges { cursor node { id name prefix kind status lastUsedAt client { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function main(): Promise<void> {
  printMachine('SQL statements per page of keys with clients and last-used');
  console.log(`query:\n${PAGE_QUERY}\n`);
  for (const setup of selectedSetups(arg('only', 'all'))) await count(setup);
}

async function count(setup: Setup): Promise<void> {
  const database = await setup.database();
  const sql = new SqlCounter();
  const operatorToken = `op_${randomBytes(16).toString('hex')}`;
  const env = setup.env();
  const server = await startServer(
    configWith({
      port: 0,
      databaseUrl: database.url,
      redisUrl: env.REDIS_URL,
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      platformAdminToken: operatorToken,
      logLevel: 'silent',
    }),
    { sqlLogger: sql, logger: createLogger('silent') },
  );
  const url = `http://127.0.0.1:${server.port}`;
  try {
    const { primaryKey } = await unthrottledAccount(url, operatorToken);
    const keys: string[] = [];
    for (let c = 1; c <= CLIENTS; c++) {
      const clientId = await createClient(url, primaryKey, `Client ${c}`);
      for (let k = 1; k <= KEYS_PER_CLIENT; k++) keys.push(await createKey(url, primaryKey, { name: `client ${c} key ${k}`, clientId }));
    }
    for (let k = 1; k <= ADMIN_KEYS; k++)
      keys.push(await createKey(url, primaryKey, { name: `admin key ${k}`, permissions: ['LEADS_READ'] }));
    // Every key used once, and last-used written: the page shows real lastUsedAt values.
    for (const key of keys) await graphql(url, '{ viewer { prefix } }', { as: key });
    await server.services.lastUsed.flush();

    const rows = [];
    let listing: string[] = [];
    for (const first of [10, 50]) {
      for (const cache of ['cold', 'warm'] as const) {
        if (cache === 'cold') server.services.keyCache.clear();
        sql.reset();
        const data = await graphql(url, PAGE_QUERY, { as: primaryKey, variables: { first } });
        const statements = [...sql.statements];
        const edges = data.apiKeys.edges as Array<{ node: { lastUsedAt: string | null; client: { id: string } | null } }>;
        if (edges.length !== first) throw new Error(`expected a page of ${first}, got ${edges.length}`);
        const withClient = edges.filter((e) => e.node.client).length;
        const withLastUsed = edges.filter((e) => e.node.lastUsedAt).length;
        rows.push([first, cache, edges.length, withClient, withLastUsed, statements.length]);
        if (first === 50 && cache === 'cold') listing = statements;
      }
    }
    console.log(`## ${setup.name}\n`);
    console.log(table(['page size', 'caller key', 'keys', 'with client', 'with lastUsedAt', 'SQL statements'], rows));
    console.log('\nThe statements of the cold page of 50:\n');
    for (const [i, statement] of listing.entries()) console.log(`${i + 1}. ${statement.replace(/\s+/g, ' ')}`);
    const counts = rows.map((r) => Number(r[5]));
    const constant = counts[0] === counts[2] && counts[1] === counts[3];
    console.log(`\nconstant in page size: ${constant ? 'yes' : 'NO'}; at most 4: ${Math.max(...counts) <= 4 ? 'yes' : 'NO'}\n`);
  } finally {
    await server.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
