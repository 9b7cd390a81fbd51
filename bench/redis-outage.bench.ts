import { createServer, Server } from 'node:net';
import { graphql, UNTHROTTLED_RATE_LIMIT } from './support/api';
import { numberArg } from './support/args';
import { REDIS_URL, tempSqlite } from './support/databases';
import { load, LoadResult } from './support/load';
import { median, ms, printMachine, table } from './support/report';
import { spawnServer } from './support/spawn';

/**
 * Requests while Redis is unreachable, against the same requests with Redis
 * up, in one run: keyward counts rate limits in memory at once instead of
 * waiting for a reconnect. Three servers on one SQLite database per round,
 * started in rotated order: Redis up, REDIS_URL on a closed port, and
 * REDIS_URL on a server that accepts connections and never answers.
 * Each server is timed from spawn to listening, then loaded with
 * `{ viewer { prefix } }` under a key of a small pool (1,000 a minute, so
 * leases are small and the counter is asked often) and of an unthrottled one.
 *
 *   npm run bench:redis-outage [-- --rounds 3 --requests 800 --connections 10]
 */

const ROUNDS = numberArg('rounds', 3);
const REQUESTS = numberArg('requests', 800);
const CONNECTIONS = numberArg('connections', 10);
const SMALL_POOL = 1000;

type Kind = 'Redis up' | 'closed port' | 'silent server';
interface Sample {
  startupMs: number;
  small: LoadResult;
  unthrottled: LoadResult;
}

async function main(): Promise<void> {
  printMachine('keyward with Redis unreachable, against Redis up (same database, same load)');
  console.log(`${ROUNDS} rounds, ${REQUESTS} requests per pool at ${CONNECTIONS} connections\n`);
  const silent = await silentServer();
  const closed = await closedPort();
  const urls: Record<Kind, string> = {
    'Redis up': REDIS_URL,
    'closed port': `redis://127.0.0.1:${closed}`,
    'silent server': `redis://127.0.0.1:${(silent.address() as { port: number }).port}`,
  };
  const kinds = Object.keys(urls) as Kind[];
  const samples: Record<Kind, Sample[]> = { 'Redis up': [], 'closed port': [], 'silent server': [] };
  const database = tempSqlite();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[(round + i) % kinds.length];
        samples[kind].push(await measure(database.url, urls[kind], `bench-outage-${round}-${i}`));
      }
    }
  } finally {
    silent.close();
    await database.drop();
  }
  const base = summary(samples['Redis up']);
  const rows = kinds.map((kind) => {
    const s = summary(samples[kind]);
    return [
      kind,
      ms(s.startup),
      ms(s.smallP99),
      `${signed(s.smallP99 - base.smallP99)} ms`,
      ms(s.unthrottledP99),
      `${signed(s.unthrottledP99 - base.unthrottledP99)} ms`,
      s.non200,
    ];
  });
  console.log(table(['Redis', 'startup ms', 'p99 small pool', 'vs up', 'p99 unthrottled', 'vs up', 'non-200'], rows));
  console.log('\nMedians over the rounds. Target: p99 within 50 ms of Redis up, and startup not delayed.');
}

async function measure(databaseUrl: string, redisUrl: string, prefix: string): Promise<Sample> {
  const started = performance.now();
  const server = await spawnServer({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
  const startupMs = performance.now() - started;
  try {
    const small = await accountKey(server.url, server.operatorToken, SMALL_POOL);
    const big = await accountKey(server.url, server.operatorToken, UNTHROTTLED_RATE_LIMIT);
    const spec = (key: string) => ({
      url: server.url,
      connections: CONNECTIONS,
      amount: REQUESTS,
      request: {
        path: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ viewer { prefix } }' }),
      },
    });
    return { startupMs, small: await load(spec(small)), unthrottled: await load(spec(big)) };
  } finally {
    await server.stop();
  }
}

/** A fresh account at `limit` requests a minute; its primary key. */
async function accountKey(url: string, operatorToken: string, limit: number): Promise<string> {
  const created = await graphql(url, 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { primaryKey { secret } } }', {
    as: operatorToken,
    variables: { input: { name: `Pool ${limit}`, rateLimitPerMinute: limit } },
  });
  return created.createAccount.primaryKey.secret;
}

function summary(samples: Sample[]) {
  const non200 = samples.reduce(
    (sum, s) => sum + [s.small, s.unthrottled].reduce((n, r) => n + r.requests - (r.statuses['200'] ?? 0), 0),
    0,
  );
  return {
    startup: median(samples.map((s) => s.startupMs)),
    smallP99: median(samples.map((s) => s.small.p99)),
    unthrottledP99: median(samples.map((s) => s.unthrottled.p99)),
    non200,
  };
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

/** Accepts connections and never says a word: a Redis that hangs. */
function silentServer(): Promise<Server> {
  const server = createServer(() => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A port nothing listens on: taken, then given back. */
function closedPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
