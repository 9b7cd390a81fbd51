import { randomBytes } from 'node:crypto';
import { Config } from '../../src/config/config';
import { serverDatabase, TestDatabase } from './database';
import { dataOf, graphql, GraphQLResponse } from './graphql';
import { Seed, SeededAccount } from './seed';
import { ServerProcess, spawnServer } from './server-process';
import { startTestServer, TestServer, TestServerOptions } from './server';

/**
 * The one harness of the integration tests, after GraphQL Hive's testkit: a
 * file asks for a server and gets it started before its tests, with an
 * account seeded through the public API, and stopped (its database dropped)
 * after them. Tests stay independent by seeding what they change through
 * `t.seed`, so one server serves the whole file.
 *
 *   const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET });
 *   it('…', async () => {
 *     const key = await t.seed.key(t.account.primary.secret, { permissions: ['KEYS_READ'] });
 *     expect((await t.data(key.secret, '{ viewer { prefix } }')).viewer.prefix).toBe(key.prefix);
 *   });
 *
 * Called inside a describe, the server lives for that describe only: how a
 * file tries several configurations.
 */

export interface FixtureOptions extends TestServerOptions {
  /** Seed `t.account` before the tests (default true); false for a file that counts or lists accounts. */
  account?: boolean;
}

/** Config for the server: fixed, or computed once its describe starts (for values known only then, like a port). */
export type FixtureConfig = Partial<Config> | (() => Partial<Config> | Promise<Partial<Config>>);

export interface TestServerFixture extends Omit<TestServer, 'stop'> {
  /** An account of the file's own, seeded before its tests. */
  readonly account: SeededAccount;
}

export function useTestServer(config: FixtureConfig = {}, options: FixtureOptions = {}): TestServerFixture {
  let running: TestServer | undefined;
  let account: SeededAccount | undefined;
  beforeAll(async () => {
    running = await startTestServer(typeof config === 'function' ? await config() : config, options);
    if (options.account !== false) account = await running.seed.account();
  });
  afterAll(() => running?.stop());

  const now = (): TestServer => running ?? notStarted();
  return {
    get url() {
      return now().url;
    },
    get operatorToken() {
      return now().operatorToken;
    },
    get database() {
      return now().database;
    },
    get sql() {
      return now().sql;
    },
    get clock() {
      return now().clock;
    },
    get server() {
      return now().server;
    },
    get seed() {
      return now().seed;
    },
    get account() {
      if (options.account === false) throw new Error('useTestServer(…, { account: false }) seeds no account: use t.seed.account()');
      return account ?? notStarted();
    },
    call: (as, query, variables) => now().call(as, query, variables),
    data: (as, query, variables) => now().data(as, query, variables),
  };
}

export interface SpawnedFixture {
  /** The keyward processes, in the order their environments were given; all share one database and one Redis. */
  readonly instances: ServerProcess[];
  readonly operatorToken: string;
  readonly database: TestDatabase;
  /** Seeds through the first instance. */
  readonly seed: Seed;
  readonly account: SeededAccount;
  /** One GraphQL operation on one of the instances. */
  call(on: ServerProcess, as: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  data<T = any>(on: ServerProcess, as: string | undefined, query: string, variables?: Record<string, unknown>): Promise<T>;
}

/**
 * Several real `keyward` processes (./server-process) behind one database and
 * one Redis, as a deployment runs them: for what only holds across processes.
 * Each entry is one instance's own environment; database, Redis, key prefix
 * and operator token are the fixture's. Started one after the other, so the
 * first start's bootstrap is over before the next begins.
 */
export function useSpawnedServers(environments: Array<Record<string, string>>): SpawnedFixture {
  const operatorToken = `op_${randomBytes(16).toString('hex')}`;
  const started: ServerProcess[] = [];
  let database: TestDatabase | undefined;
  let seed: Seed | undefined;
  let account: SeededAccount | undefined;
  beforeAll(async () => {
    database = await serverDatabase();
    const shared = {
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: `keyward-test-${randomBytes(6).toString('hex')}`,
      PLATFORM_ADMIN_TOKEN: operatorToken,
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    };
    for (const own of environments) started.push(await spawnServer({ ...shared, ...own }));
    seed = new Seed({ url: started[0].url, operatorToken });
    account = await seed.account();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.terminate()));
    await database?.drop();
  });

  // Stand-ins the file can name before the processes exist (`const [a, b] = t.instances`).
  const instances = environments.map((_, i): ServerProcess => ({
    get url() {
      return (started[i] ?? notStarted()).url;
    },
    get child() {
      return (started[i] ?? notStarted()).child;
    },
    output: () => (started[i] ?? notStarted()).output(),
    terminate: () => (started[i] ?? notStarted()).terminate(),
  }));
  const call = (on: ServerProcess, as: string | undefined, query: string, variables?: Record<string, unknown>) =>
    graphql(on.url, { as, query, variables });
  return {
    instances,
    operatorToken,
    get database() {
      return database ?? notStarted();
    },
    get seed() {
      return seed ?? notStarted();
    },
    get account() {
      return account ?? notStarted();
    },
    call,
    data: async (on, as, query, variables) => dataOf(await call(on, as, query, variables)),
  };
}

function notStarted(): never {
  throw new Error('the test server starts in beforeAll: use it inside a hook or a test, not while the file is being read');
}
