import { randomBytes } from 'node:crypto';
import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';
import { Config, configWith } from '../../src/config/config';
import { TestClock } from './clock';
import { createLogger, Logger } from '../../src/logging/logger';
import { RunningServer, StartOptions, startServer } from '../../src/app/server';
import { serverDatabase, TestDatabase } from './database';
import { dataOf, graphql, GraphQLResponse } from './graphql';
import { Seed, SeedTarget } from './seed';

/** Counts SQL statements, so tests can assert that a page costs a constant number of them. */
export class SqlCounter extends AbstractLogger {
  statements: string[] = [];

  // AbstractLogger drops every query unless its own options enable them.
  constructor() {
    super(['query']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const entry of Array.isArray(message) ? message : [message]) {
      if (level === 'query' && typeof entry.message === 'string') this.statements.push(entry.message);
    }
  }

  reset(): void {
    this.statements = [];
  }
}

export interface TestServer extends SeedTarget {
  url: string;
  operatorToken: string;
  database: TestDatabase;
  sql: SqlCounter;
  /** The server's clock: `clock.advance(ms)` instead of waiting. */
  clock: TestClock;
  server: RunningServer;
  /** Accounts, clients and keys made through this server's public API. */
  seed: Seed;
  /** One GraphQL operation as `as` (a key, a token, or undefined for anonymous). */
  call(as: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The data of an operation that must succeed. */
  data<T = any>(as: string | undefined, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** To capture its log lines; silent unless TEST_LOG_LEVEL says otherwise. */
  logger?: Logger;
  /** Where the server's new key material comes from (a test that needs a clashing prefix). */
  generateKey?: StartOptions['generateKey'];
}

/**
 * A real keyward on a free port with a fresh, migrated database, and with
 * Redis when TEST_REDIS_URL is set (under a prefix of its own, so test files
 * running in parallel never share rate-limit pools). A `databaseUrl` in the
 * overrides is the test's own database: the server neither makes nor drops it.
 * Test files get theirs from useTestServer (./harness); this is for a server
 * a single test starts and stops itself.
 */
export async function startTestServer(overrides: Partial<Config> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = overrides.databaseUrl ? borrowed(overrides.databaseUrl) : await serverDatabase();
  const operatorToken = `op_${randomBytes(16).toString('hex')}`;
  const sql = new SqlCounter();
  const clock = new TestClock();
  let server: RunningServer;
  try {
    server = await startServer(
      configWith({
        port: 0,
        databaseUrl: database.url,
        platformAdminToken: operatorToken,
        logLevel: 'silent',
        redisUrl: process.env.TEST_REDIS_URL || undefined,
        redisKeyPrefix: `keyward-test-${randomBytes(6).toString('hex')}`,
        // The write-behind last-used flush runs only when a test asks (or on stop), so its
        // statement never lands inside a request whose SQL a test is counting.
        lastUsedFlushMs: 60 * 60_000,
        // Likewise the webhook dispatcher looks for due deliveries only when a test asks (webhookPollMs) or an event wakes it.
        webhookPollMs: 60 * 60_000,
        ...overrides,
      }),
      {
        sqlLogger: sql,
        clock,
        logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
        generateKey: options.generateKey,
      },
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  const target = { url: server.url, operatorToken };
  const call = (as: string | undefined, query: string, variables?: Record<string, unknown>) =>
    graphql(server.url, { as, query, variables });
  return {
    ...target,
    clock,
    database,
    sql,
    server,
    seed: new Seed(target),
    call,
    data: async (as, query, variables) => dataOf(await call(as, query, variables)),
    stop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}

/** A second server for one test, stopped when `work` is done however it ends. */
export async function withTestServer<T>(
  overrides: Partial<Config>,
  work: (server: TestServer) => Promise<T>,
  options: TestServerOptions = {},
): Promise<T> {
  const server = await startTestServer(overrides, options);
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

function borrowed(url: string): TestDatabase {
  return { url, kind: url.startsWith('sqlite:') ? 'sqlite' : 'mysql', drop: async () => undefined };
}
